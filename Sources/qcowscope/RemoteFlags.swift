import ArgumentParser
import Formatting
import Qcow2
import Remote
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The options of images given as URLs (`https://…`, `nbd://…`, `nbd+unix:///…?socket=…`), shared by
/// every command and the explorer. Local files ignore them, except `--stats`.
struct RemoteFlags: ParsableArguments {
    @Option(help: "Seconds a request to a remote image may take before it fails (stalls are not retried).")
    var timeout: Double = 30

    @Flag(help: "Do not verify the TLS certificate of an https server (as curl --insecure).")
    var insecure = false

    @Option(help: ArgumentHelp("PEM certificate authorities to trust for https (default: the system's, or CURL_CA_BUNDLE).",
                               valueName: "file"))
    var cacert: String?

    @Flag(help: "Print the bytes fetched and requests made for remote images on standard error at the end.")
    var stats = false

    /// Stored for ``RemoteSession`` as soon as the arguments parse, so every opening of an image
    /// in the command (and its backing files) uses them.
    func validate() throws {
        guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout must be between 0 and 86400 seconds") }
        RemoteSession.configure(self)
    }
}

/// The remote options and statistics of this run of qcowscope (one per process).
enum RemoteSession {
    private static let state = Mutex<(options: RemoteOptions, printStats: Bool)>((RemoteOptions(), false))

    static func configure(_ flags: RemoteFlags) {
        state.withLock { s in
            s.options.timeoutSeconds = flags.timeout
            s.options.insecure = flags.insecure
            s.options.caBundle = flags.cacert ?? getenv("CURL_CA_BUNDLE").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
            s.printStats = s.printStats || flags.stats
        }
    }

    static var options: RemoteOptions { state.withLock { $0.options } }
    static var stats: RemoteStats { options.stats }

    /// "remote: 1.2 MiB fetched in 14 requests" on standard error, when `--stats` was given.
    static func printStatsIfAsked() {
        guard state.withLock({ $0.printStats }) else { return }
        printError("qcowscope: remote: \(stats.summary(formatSize: Formatted.humanSize)) (\(stats.bytes) bytes)")
    }
}
