import CCurl
#if canImport(Glibc)
import Glibc
#endif
import Qcow2

/// Ranged GETs of one HTTP(S) file through libcurl: a multi handle running up to
/// ``RemoteOptions/connections`` requests at once over kept-alive connections, retrying with
/// back-off what may pass (``CurlOutcome``). Ranges fetched together go several to a request
/// (``MultipartRanges``) while the server answers such requests with their parts, one each
/// from its first answer otherwise.
final class CurlFetcher: RangeFetcher {
    let url: RemoteURL
    let options: RemoteOptions
    private(set) var size: UInt64 = 0
    /// Requests of up to 8 MiB: a long run of tables is shared by several connections.
    let requestLimit: UInt64 = 8 << 20
    /// Ranges in one request at most: a `Range` header of up to about 3 KB, well inside what
    /// servers accept for a header line (8 KiB in nginx and Apache).
    static let rangesPerRequest = 100
    /// Whether to ask for several ranges in one request: until the server answers one otherwise.
    private var severalRanges = true
    /// Where requests go: the URL after the first request's redirects, so a redirect costs one
    /// request per open, not one per read.
    private var target: String
    private let multi: UnsafeMutableRawPointer
    private var idle: [CurlTransfer] = []

    /// Bytes the first request asks for: the header and, in a small image, the tables after it.
    static let probeBytes: UInt64 = 64 << 10

    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// Opens `url`: one ranged GET of its first bytes, which also tells the size (the
    /// `Content-Range` total) and whether the server serves ranges at all. Returns the fetcher and
    /// those bytes.
    static func open(_ url: RemoteURL, options: RemoteOptions) throws(FormatError) -> (CurlFetcher, [UInt8]) {
        guard initialized, let multi = curl_multi_init() else {
            throw RemoteFailure.error(at: 0, EIO, "libcurl could not be initialised")
        }
        let fetcher = CurlFetcher(url: url, options: options, multi: multi)
        let first = try fetcher.run([0..<probeBytes], probing: true)
        return (fetcher, first[0])
    }

    private init(url: RemoteURL, options: RemoteOptions, multi: UnsafeMutableRawPointer) {
        self.url = url
        self.options = options
        self.target = url.text
        self.multi = multi
        _ = qs_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, options.connections)
    }

    deinit {
        idle.removeAll()
        curl_multi_cleanup(multi)
    }

    func fetch(_ ranges: [Range<UInt64>], stats: RemoteStats) throws(FormatError) -> [[UInt8]] {
        try run(ranges, probing: false)
    }

    /// A request waiting to be sent: which ranges (indices into the run's), which try.
    private struct Job {
        var indices: [Int]
        var attempt: Int
        var due: ContinuousClock.Instant
    }

    /// The requests for `ranges` (sorted, as ``ByteRuns`` makes them): one each, or while the
    /// server takes several at once, consecutive ranges grouped up to ``rangesPerRequest`` and
    /// ``requestLimit`` bytes, so a long list still spreads over the connections.
    private func jobs(_ ranges: [Range<UInt64>], probing: Bool) -> [Job] {
        guard severalRanges, !probing, ranges.count > 1 else { return ranges.indices.map { Job(indices: [$0], attempt: 1, due: .now) } }
        var out: [Job] = []
        var group: [Int] = []
        var bytes: UInt64 = 0
        for (i, range) in ranges.enumerated() {
            if !group.isEmpty, group.count == Self.rangesPerRequest || bytes + UInt64(range.count) > requestLimit {
                out.append(Job(indices: group, attempt: 1, due: .now))
                group = []
                bytes = 0
            }
            group.append(i)
            bytes += UInt64(range.count)
        }
        if !group.isEmpty { out.append(Job(indices: group, attempt: 1, due: .now)) }
        return out
    }

    /// Runs every range, at most `connections` requests at a time; the first error that retries
    /// cannot cure stops the rest.
    private func run(_ ranges: [Range<UInt64>], probing: Bool) throws(FormatError) -> [[UInt8]] {
        var results = [[UInt8]](repeating: [], count: ranges.count)
        var waiting = jobs(ranges, probing: probing)
        var active: [UnsafeMutableRawPointer: (CurlTransfer, Job)] = [:]
        defer {
            for (handle, (transfer, _)) in active {
                curl_multi_remove_handle(multi, handle)
                idle.append(transfer)
            }
        }
        while !waiting.isEmpty || !active.isEmpty {
            let now = ContinuousClock.now
            while active.count < max(1, options.connections), let next = waiting.firstIndex(where: { $0.due <= now }) {
                let job = waiting.remove(at: next)
                let transfer = try transferForUse()
                transfer.prepare(job.indices.map { ranges[$0] }, probing: probing)
                curl_multi_add_handle(multi, transfer.handle)
                options.stats.addRequests(1)
                active[transfer.handle] = (transfer, job)
            }
            if active.isEmpty {
                // Only retries waiting out their back-off.
                let wait = (waiting.map(\.due).min() ?? now) - now
                usleep(UInt32(max(0, min(wait / .microseconds(1), 10_000_000))))
                continue
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard qs_msg_done(message) != 0, let handle = message.pointee.easy_handle,
                      let (transfer, job) = active.removeValue(forKey: handle) else { continue }
                let code = qs_msg_result(message)
                curl_multi_remove_handle(multi, handle)
                defer { idle.append(transfer) }
                options.stats.addBytes(transfer.body.count)
                switch CurlOutcome.judge(transfer, code: code, url: url) {
                case .success(let total):
                    if probing {
                        size = total ?? size
                        if let effective = transfer.effectiveURL { retarget(effective) }
                    }
                    results[job.indices[0]] = transfer.body
                case .parts(let parts):
                    for (i, part) in zip(job.indices, parts) { results[i] = part }
                case .unsupported:
                    // The server does not answer several ranges at once: one by one from now on.
                    severalRanges = false
                    waiting += job.indices.map { Job(indices: [$0], attempt: 1, due: .now) }
                case .retry(let error):
                    guard job.attempt < options.attempts else { throw error }
                    // 0.25 s, 0.5 s, 1 s...: a restarting server gets a moment.
                    let pause = Duration.milliseconds(250 << min(job.attempt - 1, 4))
                    waiting.append(Job(indices: job.indices, attempt: job.attempt + 1, due: .now + pause))
                case .failure(let error):
                    throw error
                }
            }
            if !active.isEmpty { curl_multi_poll(multi, nil, 0, 100, nil) }
        }
        return results
    }

    private func transferForUse() throws(FormatError) -> CurlTransfer {
        if let transfer = idle.popLast() { return transfer }
        guard let transfer = CurlTransfer(url: target, options: options) else {
            throw RemoteFailure.error(at: 0, EIO, "libcurl could not make a handle")
        }
        return transfer
    }

    /// Later requests go to `effective` (the first request's final URL after redirects).
    private func retarget(_ effective: String) {
        guard effective != target else { return }
        target = effective
        for transfer in idle { _ = qs_setopt_str(transfer.handle, CURLOPT_URL, effective) }
    }
}
