import Analysis
import Reports

/// What the explorer shows, as one value: the opened image and what opening it told us (at once),
/// and the analysis when the background scan has finished. Views draw what is known so far.
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

    public init(path: String, image: Qcow2Image, chain: BackingChain) {
        self.path = path
        self.image = image
        self.chain = chain
        self.info = InfoReport(image: image, filename: path, chain: chain)
    }

    public var header: Header { image.header }
    public var clusterSize: UInt64 { image.header.clusterSize }
}
