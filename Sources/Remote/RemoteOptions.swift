/// How remote images are opened: the command-line options every command shares (`--timeout`,
/// `--insecure`, `--cacert`), and the statistics the fetches add to (`--stats`).
///
/// Proxies and credentials are left to libcurl, which reads them as it always does: the
/// `http_proxy`/`https_proxy`/`no_proxy` environment and, when present, `~/.netrc`.
public struct RemoteOptions: Sendable {
    /// Seconds one request (and one connection attempt) may take before it fails; a stalled
    /// server is given up on after this, and stalled requests are not retried.
    public var timeoutSeconds: Double = 30
    /// Skip TLS certificate and host name verification (`curl --insecure`).
    public var insecure = false
    /// A PEM file of certificate authorities to trust instead of the system's (`curl --cacert`);
    /// `CURL_CA_BUNDLE` in the environment when not given, as the curl tool reads it.
    public var caBundle: String?
    /// Parallel connections to one server for prefetched tables.
    public var connections = 8
    /// Bytes the block cache keeps at most, whatever the image says.
    public var cacheBytes = 128 << 20
    /// Tries of a request failing in a way that may pass (a reset connection, a 5xx answer).
    public var attempts = 4
    /// Bytes, requests and time spent, shared by every source opened with these options (the
    /// image and its backing files).
    public var stats: RemoteStats

    public init(stats: RemoteStats = RemoteStats()) {
        self.stats = stats
    }
}
