import CCurl
import Qcow2

/// One libcurl easy handle and the ranged GET it is doing: the body received, the status, and
/// the `Content-Range` (or, for several ranges, the multipart `Content-Type`) the server answered
/// with. Handles are reused from request to request, so their connections stay open (HTTP
/// keep-alive) in the multi handle's connection cache.
final class CurlTransfer {
    let handle: UnsafeMutableRawPointer
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    /// The ranges asked for: one, or several in one request (``MultipartRanges``).
    var ranges: [Range<UInt64>] = []
    /// The first range asked for (the only one of a single-range GET).
    var range: Range<UInt64> { ranges.first ?? 0..<0 }
    var isMultiple: Bool { ranges.count > 1 }
    /// Body bytes accepted at most: the ranges, and for several their part headers.
    private var capacity = 0
    var contentType: String?
    /// The size of the first request is not known yet: its range may come back shorter.
    var probing = false
    var body: [UInt8] = []
    var status = 0
    /// Set when the answer was not `206 Partial Content` and its body was refused.
    var refusedBody = false
    /// Set when the server sent more than the range asked for.
    var overlong = false
    var contentRange: String?

    init?(url: String, options: RemoteOptions) {
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let user = Unmanaged.passUnretained(self).toOpaque()
        let timeout = max(1, Int(options.timeoutSeconds * 1000))
        _ = qs_setopt_str(handle, CURLOPT_URL, url)
        _ = qs_setopt_long(handle, CURLOPT_HTTPGET, 1)
        // Redirects are followed (presigned URLs, mirrors), but only to http and https: never to
        // file:// or another protocol libcurl speaks.
        _ = qs_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
        _ = qs_setopt_long(handle, CURLOPT_MAXREDIRS, 10)
        _ = qs_setopt_str(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = qs_setopt_str(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        _ = qs_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = qs_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeout)
        _ = qs_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, timeout)
        _ = qs_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
        _ = qs_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, options.insecure ? 0 : 1)
        _ = qs_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, options.insecure ? 0 : 2)
        if let ca = options.caBundle { _ = qs_setopt_str(handle, CURLOPT_CAINFO, ca) }
        _ = qs_setopt_long(handle, CURLOPT_NETRC, Int(CURL_NETRC_OPTIONAL.rawValue))
        _ = qs_setopt_str(handle, CURLOPT_USERAGENT, "qcowscope")
        _ = qs_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = qs_setopt_fn(handle, CURLOPT_WRITEFUNCTION, curlBody)
        _ = qs_setopt_ptr(handle, CURLOPT_WRITEDATA, user)
        _ = qs_setopt_fn(handle, CURLOPT_HEADERFUNCTION, curlHeader)
        _ = qs_setopt_ptr(handle, CURLOPT_HEADERDATA, user)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Makes the handle ask for `ranges` next (sorted, not touching: one `Range` header).
    func prepare(_ ranges: [Range<UInt64>], probing: Bool = false) {
        self.ranges = ranges
        self.probing = probing
        let data = ranges.reduce(0) { $0 + $1.count }
        capacity = ranges.count == 1 ? data : data + (ranges.count + 1) * MultipartRanges.partOverhead
        body = []
        body.reserveCapacity(capacity)
        status = 0
        refusedBody = false
        overlong = false
        contentRange = nil
        contentType = nil
        errorBuffer[0] = 0
        _ = qs_setopt_str(handle, CURLOPT_RANGE, ranges.map { "\($0.lowerBound)-\($0.upperBound - 1)" }.joined(separator: ","))
    }

    /// libcurl's own words for the last failure, when it had any.
    var curlMessage: String { String(cString: errorBuffer) }

    /// The URL the last request ended at, after redirects.
    var effectiveURL: String? { qs_info_str(handle, CURLINFO_EFFECTIVE_URL).map { String(cString: $0) } }

    /// `Content-Range: bytes FIRST-LAST/TOTAL` as numbers (TOTAL nil when `*`).
    var parsedContentRange: (first: UInt64, last: UInt64, total: UInt64?)? {
        guard let value = contentRange?.lowercased(), value.hasPrefix("bytes ") else { return nil }
        let parts = value.dropFirst(6).split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let span = parts[0].split(separator: "-", maxSplits: 1)
        guard span.count == 2, let first = UInt64(span[0]), let last = UInt64(span[1]), first <= last else { return nil }
        return (first, last, UInt64(parts[1]))
    }

    fileprivate func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if status == 0 { status = qs_info_long(handle, CURLINFO_RESPONSE_CODE) }
        // Anything but a partial answer is refused at its first byte: a server that ignores the
        // range would otherwise send the whole image.
        guard status == 206 else { refusedBody = true; return false }
        guard body.count + bytes.count <= capacity else { overlong = true; return false }
        body.append(contentsOf: bytes)
        return true
    }

    fileprivate func header(_ line: String) {
        if line.hasPrefix("HTTP/") {
            // A new response (after a redirect or a 100 Continue): forget the previous one's.
            contentRange = nil
            contentType = nil
            status = 0
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t\r\n")
        if name == "content-range" { contentRange = value }
        if name == "content-type" { contentType = value }
    }
}

private func curlBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?) -> Int {
    guard let data, let user else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
    let n = size * count
    return transfer.receive(UnsafeRawBufferPointer(start: data, count: n)) ? n : 0
}

private func curlHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?) -> Int {
    guard let data, let user else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
    let n = size * count
    transfer.header(String(decoding: UnsafeRawBufferPointer(start: data, count: n), as: UTF8.self))
    return n
}

extension String {
    /// The string without leading and trailing characters of `set` (no Foundation).
    func trimmingCharacters(in set: String) -> String {
        let drop = Set(set)
        return String(self.drop { drop.contains($0) }.reversed().drop { drop.contains($0) }.reversed())
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}
