import Analysis
import Dispatch
import Synchronization

/// Owns the explorer's data and the background scan that fills it in.
///
/// Opening is synchronous and cheap (first cluster, snapshot table, bitmap directory), so the
/// first frame shows the header at once; the scan (``ImageAnalysis/scan(_:progress:)``) and the
/// guest map run on a global queue, and the UI polls ``snapshot()`` between key presses.
public final class ExplorerSession: Sendable {
    private let state: Mutex<ExplorerData>
    public let progress = ScanProgress()
    private let finished = DispatchSemaphore(value: 0)

    public init(data: ExplorerData) {
        state = Mutex(data)
    }

    /// Opens `path` (and its backing chain, unless `limits` says not to) for exploring.
    public convenience init(path: String, limits: DecodingLimits = DecodingLimits()) throws(FormatError) {
        let image = try Qcow2Image(path: path, limits: limits)
        self.init(data: ExplorerData(path: path, image: image, chain: BackingChain.open(top: image)))
    }

    /// The data as it is now (a copy; cheap, the big parts are shared references).
    public func snapshot() -> ExplorerData {
        var data = state.withLock { $0 }
        if data.isScanning {
            data.progress = progress.fraction
            data.phase = progress.phase.label
        }
        return data
    }

    /// Starts the scan on a background queue. Call once.
    public func start() {
        let data = snapshot()
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            defer { finished.signal() }
            self.runScan(data)
        }
    }

    /// Runs the scan on the calling thread (for `render` and tests).
    public func scanNow() {
        runScan(snapshot())
        finished.signal()
    }

    /// Blocks until the scan has finished (tests, `render`).
    public func waitUntilFinished() {
        finished.wait()
        finished.signal()
    }

    /// Asks the scan to stop (on quit).
    public func cancel() { progress.cancel() }

    private func runScan(_ data: ExplorerData) {
        var result = ExplorerResults()
        do {
            let analysis = try ImageAnalysis.scan(data.image, progress: progress)
            result.analysis = analysis
            result.hostMap = HostMapSummary(analysis: analysis)
        } catch {
            result.scanError = error.description
        }
        if !progress.isCancelled {
            result.loadGuestMap(chain: data.chain)
        }
        state.withLock { data in
            data.results = result
            data.isScanning = false
            data.progress = 1
            data.phase = result.scanError == nil ? "done" : "failed"
            data.scanError = result.scanError
        }
    }
}
