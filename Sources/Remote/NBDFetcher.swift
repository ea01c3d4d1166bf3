import CNBD
#if canImport(Glibc)
import Glibc
#endif
import Qcow2

/// Reads of one NBD export through libnbd (`nbd_connect_uri`), several in flight at once on the
/// one connection (NBD answers out of order), each waited for at most the timeout. qcowscope
/// only ever issues reads: the handle never sends a write, trim or flush.
final class NBDFetcher: RangeFetcher {
    let url: RemoteURL
    let options: RemoteOptions
    let size: UInt64
    /// Under the 32 MiB most servers accept (qemu-nbd's limit).
    let requestLimit: UInt64 = 4 << 20
    private let handle: OpaquePointer

    init(_ url: RemoteURL, options: RemoteOptions) throws(FormatError) {
        self.url = url
        self.options = options
        guard let handle = nbd_create() else { throw Self.error(nil, url, "libnbd could not make a handle") }
        self.handle = handle
        _ = nbd_set_handle_name(handle, "qcowscope")
        guard nbd_aio_connect_uri(handle, url.text) == 0 else {
            let e = Self.error(handle, url, "cannot connect")
            nbd_close(handle)
            throw e
        }
        do {
            try Self.wait(handle, url, options, until: { nbd_aio_is_connecting(handle) == 0 })
        } catch {
            nbd_close(handle)
            throw error
        }
        guard nbd_aio_is_ready(handle) != 0 else {
            let e = Self.error(handle, url, "the NBD handshake failed")
            nbd_close(handle)
            throw e
        }
        let size = nbd_get_size(handle)
        guard size >= 0 else {
            let e = Self.error(handle, url, "cannot learn the export's size")
            nbd_close(handle)
            throw e
        }
        self.size = UInt64(size)
    }

    deinit { nbd_close(handle) }

    func fetch(_ ranges: [Range<UInt64>], stats: RemoteStats) throws(FormatError) -> [[UInt8]] {
        var results = ranges.map { [UInt8](repeating: 0, count: $0.count) }
        // At most `connections` reads in flight, in batches.
        var start = 0
        while start < ranges.count {
            let end = min(ranges.count, start + max(1, options.connections))
            var cookies: [Int64] = []
            for i in start..<end {
                let cookie = results[i].withUnsafeMutableBytes {
                    qs_nbd_aio_pread(handle, $0.baseAddress, $0.count, ranges[i].lowerBound)
                }
                guard cookie >= 0 else { throw Self.error(handle, url, "read at \(ranges[i].lowerBound) failed", at: ranges[i].lowerBound) }
                cookies.append(cookie)
                stats.addRequests(1)
            }
            for (k, cookie) in cookies.enumerated() {
                let range = ranges[start + k]
                var done: Int32 = 0
                try Self.wait(handle, url, options, at: range.lowerBound) {
                    done = nbd_aio_command_completed(handle, UInt64(cookie))
                    return done != 0
                }
                guard done == 1 else {
                    throw Self.error(handle, url, "read of \(range.count) bytes at \(range.lowerBound) failed", at: range.lowerBound)
                }
                stats.addBytes(range.count)
            }
            start = end
        }
        return results
    }

    /// Polls the connection until `done` or the timeout passes with no progress.
    private static func wait(_ handle: OpaquePointer, _ url: RemoteURL, _ options: RemoteOptions, at offset: UInt64 = 0,
                             until done: () -> Bool) throws(FormatError) {
        let timeout = max(1, Int32(min(options.timeoutSeconds * 1000, 3_600_000)))
        while !done() {
            let r = nbd_poll(handle, timeout)
            if r == 0 {
                throw RemoteFailure.error(at: offset, ETIMEDOUT, "\(url.text.terminalSafe): no answer from the NBD server")
            }
            if r < 0 { throw error(handle, url, "the connection failed", at: offset) }
        }
    }

    private static func error(_ handle: OpaquePointer?, _ url: RemoteURL, _ what: String, at offset: UInt64 = 0) -> FormatError {
        let message = nbd_get_error().map { String(cString: $0) } ?? ""
        var code = nbd_get_errno()
        if code == 0 { code = EIO }
        let detail = message.isEmpty ? "" : " (libnbd: \(message.terminalSafe))"
        return RemoteFailure.error(at: offset, code, "\(url.text.terminalSafe): \(what)\(detail)")
    }
}
