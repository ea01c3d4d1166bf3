import Synchronization

/// What fetching an image cost: requests made and bytes received, counted as they arrive, from any
/// thread. `--stats` prints it when a command ends; the explorer's status line shows it live.
public final class RemoteStats: Sendable {
    private let counts = Mutex<(requests: UInt64, bytes: UInt64)>((0, 0))

    public init() {}

    /// Requests sent so far (every try counts, retries too).
    public var requests: UInt64 { counts.withLock { $0.requests } }
    /// Body bytes received so far.
    public var bytes: UInt64 { counts.withLock { $0.bytes } }

    func addRequests(_ n: Int) { counts.withLock { $0.requests &+= UInt64(n) } }
    func addBytes(_ n: Int) { counts.withLock { $0.bytes &+= UInt64(n) } }

    /// "1.2 MiB in 14 requests": the summary `--stats` and the status line print.
    public func summary(formatSize: (UInt64) -> String) -> String {
        let (r, b) = counts.withLock { ($0.requests, $0.bytes) }
        return "\(formatSize(b)) in \(r) request\(r == 1 ? "" : "s")"
    }
}
