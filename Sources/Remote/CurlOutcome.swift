import CCurl
#if canImport(Glibc)
import Glibc
#endif
import Qcow2

/// What a finished ranged GET means: its bytes, a failure worth another try (a reset connection,
/// a 5xx answer, a body cut short), or one that is not (no range support, 404, a TLS error, a
/// timeout — a stalled server is not waited on twice).
enum CurlOutcome {
    /// The body is right; the total size when the server said it.
    case success(total: UInt64?)
    /// The bytes of each range of a request for several (``MultipartRanges``).
    case parts([[UInt8]])
    /// A request for several ranges the server did not answer with exactly those parts (200,
    /// one range, merged ranges, 416): not an error, the ranges are asked for one by one.
    case unsupported
    case retry(FormatError)
    case failure(FormatError)

    static func judge(_ t: CurlTransfer, code: CURLcode, url: RemoteURL) -> CurlOutcome {
        let asked = t.range
        let what = t.isMultiple ? "GET \(url.text.terminalSafe) \(t.ranges.count) ranges from byte \(asked.lowerBound)"
            : "GET \(url.text.terminalSafe) bytes \(asked.lowerBound)-\(asked.upperBound - 1)"
        func error(_ errno: Int32, _ why: String) -> FormatError {
            RemoteFailure.error(at: asked.lowerBound, errno, "\(what): \(why)")
        }
        let curlText = t.curlMessage.isEmpty ? String(cString: curl_easy_strerror(code)) : t.curlMessage
        if t.status == 0 { t.status = qs_info_long(t.handle, CURLINFO_RESPONSE_CODE) }
        // Our own refusals end the transfer with a write error; judge them by the status.
        if code != CURLE_OK && !(code == CURLE_WRITE_ERROR && (t.refusedBody || t.overlong)) {
            return curlFailure(code, error(errnoFor(code), "the transfer failed (curl: \(curlText.terminalSafe))"))
        }
        if t.isMultiple {
            if t.overlong || [200, 206, 416].contains(t.status) {
                guard t.status == 206, !t.overlong, let boundary = t.contentType.flatMap(MultipartRanges.boundary(ofContentType:)),
                      let parts = MultipartRanges.parts(of: t.body, boundary: boundary, ranges: t.ranges)
                else { return .unsupported }
                return .parts(parts)
            }
        } else if t.overlong {
            return .failure(error(EPROTO, "the server sent more bytes than the range asked for"))
        }
        switch t.status {
        case 206: break
        case 200:
            return .failure(error(EPROTO, "the server answered 200 to a range request: it does not serve byte ranges "
                                  + "(no Accept-Ranges), and qcowscope reads remote images only by ranges"))
        case 404, 410: return .failure(error(ENOENT, "\(t.status) not found"))
        case 401, 403, 407: return .failure(error(EACCES, "\(t.status) access denied"))
        case 416: return .failure(error(EINVAL, "416 range not satisfiable (an empty file?)"))
        case 408, 429, 500...599: return .retry(error(EIO, "the server answered \(t.status)"))
        default: return .failure(error(EPROTO, "unexpected answer \(t.status) to a range request"))
        }
        guard let range = t.parsedContentRange, range.first == asked.lowerBound else {
            return .failure(error(EPROTO, "the 206 answer's Content-Range (\((t.contentRange ?? "none").terminalSafe)) is not the range asked for"))
        }
        // The first request may come back shorter when the file is smaller than it asked for.
        let expected = t.probing ? min(UInt64(asked.count), range.last - range.first + 1) : UInt64(asked.count)
        if t.probing, range.total == nil {
            return .failure(error(EPROTO, "the server does not say the file's size (Content-Range total is '*')"))
        }
        guard UInt64(t.body.count) == expected, range.last - range.first + 1 == expected else {
            return .retry(error(EPROTO, "short body: \(t.body.count) of \(expected) bytes"))
        }
        return .success(total: range.total)
    }

    /// Connection failures that may pass are tried again; a timeout is not (the stall would be
    /// waited out again), nor TLS or protocol errors.
    private static func curlFailure(_ code: CURLcode, _ error: FormatError) -> CurlOutcome {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE,
             CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .retry(error)
        default:
            return .failure(error)
        }
    }

    private static func errnoFor(_ code: CURLcode) -> Int32 {
        switch code {
        case CURLE_OPERATION_TIMEDOUT: ETIMEDOUT
        case CURLE_COULDNT_CONNECT: ECONNREFUSED
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: EHOSTUNREACH
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE: ECONNRESET
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE: EACCES
        default: EIO
        }
    }
}
