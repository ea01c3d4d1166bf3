import Analysis
import Qcow2
import Reports

/// What the explorer shows, as one value: the opened image and what opening it told us (at once),
/// the analysis when the background scan has finished, and what background work
/// (``ExplorerWork``) has produced. Views draw what is known so far.
public struct ExplorerData: Sendable {
    /// The path given on the command line (for the status bar; image text is escaped elsewhere).
    public var path: String
    public var image: Qcow2Image
    public var info: InfoReport
    public var chain: BackingChain
    /// The scan's progress (0...1) and phase, polled from the scan thread.
    public var progress: Double = 0
    public var phase: String = "opening"
    /// The scan's results; empty until it has finished.
    public var results = ExplorerResults()
    public var analysis: ImageAnalysis? { results.analysis }
    /// True until the scan has finished or failed.
    public var isScanning = true
    /// Why the scan stopped without a result, if it did.
    public var scanError: String?

    /// What watching (`--watch`, `w`) has seen; nil when not watching.
    public var watch: WatchStatus?
    /// Whether a line sits above the status bar: the scan's progress, or the watch's news.
    public var hasFooterLine: Bool { isScanning || watch != nil }

    /// Snapshot guest maps walked so far, by snapshot table index (they do not depend on the scan).
    public var snapshotMaps: [Int: SnapshotGuestMap.Entry] = [:]
    /// Every persistent bitmap decoded, once the bitmaps view has asked for it.
    public var bitmaps: [DecodedBitmap]?
    /// The guest's volumes and what the file holds of them (``ExplorerWork/volumes``, after the
    /// scan); a failure when the active layer's tables could not be read.
    public var volumes: Result<VolumeUsage, FormatError>?
    /// How far that reading has got (shared with the work that fills it in).
    public let volumeProgress = GuestReadProgress()
    /// Diffs between two states opened from the snapshots view (``ExplorerWork/diff(_:)``), and
    /// their content comparisons (`c`), by the pair compared.
    public var diffs: [DiffPair: SnapshotDiff.Entry] = [:]
    public var contentDiffs: [DiffPair: SnapshotDiff.Entry] = [:]
    /// The chain layers' own and shadowed bytes (the snapshots view's chain bars).
    public var layerAccounting: Result<LayerAccounting, FormatError>?
    /// Each bitmap's audit against its best-matching snapshot (nil entry: none matches), in
    /// directory order (``ExplorerWork/bitmapAudit``).
    public var bitmapAudits: [BitmapAuditMatch?]?
    /// How far the content comparison under way has got (shared with the work doing it).
    public let contentProgress = ContentDiffProgress()
    /// Background work under way and how long ago it was asked for (filled in by
    /// ``ExplorerSession/snapshot()``): screens waiting for it say how long they have waited.
    public var running: [ExplorerWork: Duration] = [:]

    /// What fetching a remote image has cost so far ("1.2 MiB in 14 requests"), shown on the status
    /// bar; nil for a local file. Asked at every frame, from the command's statistics.
    public var transferSummary: (@Sendable () -> String)?

    public init(path: String, image: Qcow2Image, chain: BackingChain) {
        self.path = path
        self.image = image
        self.chain = chain
        self.info = InfoReport(image: image, filename: path, chain: chain)
    }

    public var header: Header { image.header }
    public var clusterSize: UInt64 { image.header.clusterSize }
}
