import Analysis
import Formatting
import Qcow2

/// What the explorer's watch (`--watch`, `w`) has seen: the last re-scan (``WatchRound``), where
/// its newly allocated clusters are in the file and in the guest disk (the host and guest maps
/// highlight them), and the growth of the last rounds for the status line's sparkline.
public struct WatchStatus: Sendable {
    /// Seconds between the end of one round and the start of the next.
    public var seconds: Double
    /// The last round, nil until the first has finished.
    public var round: WatchRound?
    /// Host clusters allocated since the round before (runs of cluster indices).
    public var newHost: [Range<Int>] = []
    /// Guest bytes the image maps onto ``newHost`` (runs of guest offsets).
    public var newGuest: [Range<UInt64>] = []
    /// File growth in bytes of the last rounds, oldest first (at most ``historyLimit``).
    public var growth: [UInt64] = []
    /// True while a round runs in the background.
    public var isRunning = false
    /// When the last round ended (the next starts ``seconds`` later).
    public var lastEnded: ContinuousClock.Instant?
    /// Why the last round failed (the image went away, could not be read).
    public var error: String?

    static let historyLimit = 16

    public init(seconds: Double) { self.seconds = seconds }

    /// Whether a round should start now.
    func isDue(now: ContinuousClock.Instant) -> Bool {
        guard !isRunning else { return false }
        guard let lastEnded else { return true }
        return now - lastEnded >= .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Whether host clusters `range` (indices) hold any cluster new since the last round.
    public func hasNewHost(in range: Range<UInt64>) -> Bool { Self.overlaps(newHost.lazy.map { UInt64($0.lowerBound)..<UInt64($0.upperBound) }, range) }

    /// Whether guest bytes `range` hold any cluster new since the last round.
    public func hasNewGuest(in range: Range<UInt64>) -> Bool { Self.overlaps(newGuest, range) }

    static func overlaps<S: Sequence>(_ runs: S, _ range: Range<UInt64>) -> Bool where S.Element == Range<UInt64> {
        runs.contains { $0.overlaps(range) }
    }

    /// The watch line above the status bar: the round, the file's growth, what is new, each
    /// snapshot's exclusive bytes that grew and each bitmap's dirty bytes (names already escaped).
    public var line: String {
        if let error { return "watch: \(error.terminalSafe)" }
        guard let r = round else { return "watching every \(secondsText): first re-scan under way" }
        var parts = ["watch #\(r.number) every \(secondsText)",
                     "file \(Formatted.humanSize(r.fileSize)) \(Self.signed(r.fileGrowth))",
                     r.reused ? "metadata unchanged" : "\(r.newClusterCount) new clusters, \(r.changedRegions) tables changed"]
        for s in r.snapshotExclusive where s.growth != 0 {
            parts.append("snapshot \(s.name) exclusive \(s.bytes.map(Formatted.humanSize) ?? "?") \(Self.signed(s.growth))")
        }
        for b in r.bitmapDirty { parts.append("bitmap \(b.name) dirty \(Formatted.humanSize(b.bytes)) \(Self.signed(b.growth))") }
        return parts.joined(separator: " · ")
    }

    /// `2 s`, `0.5 s`.
    var secondsText: String {
        seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }

    /// `+1.5 MiB`, `-64 KiB`, `+0 B`.
    static func signed(_ bytes: Int64) -> String {
        (bytes < 0 ? "-" : "+") + Formatted.humanSize(bytes.magnitude)
    }
}
