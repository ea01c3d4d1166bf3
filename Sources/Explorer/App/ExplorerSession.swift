import Analysis
import Dispatch
import Qcow2
import Synchronization

/// Owns the explorer's data and the background work that fills it in: the threading of the
/// explorer lives here, views and view models stay pure values.
///
/// Opening is synchronous and cheap (first cluster, snapshot table, bitmap directory), so the
/// first frame shows the header at once; the scan (``ImageAnalysis/scan(_:progress:)``) and the
/// guest map run on a global queue, and the UI polls ``snapshot()`` between key presses. What a
/// screen needs later (a snapshot's map, a cluster drill-down, the bitmaps' extents) is computed
/// on request, off the UI thread too (``requestWork(for:)``, in ExplorerSession+Work.swift).
public final class ExplorerSession: Sendable {
    let state: Mutex<ExplorerData>
    public let progress = ScanProgress()
    private let finished = DispatchSemaphore(value: 0)
    /// What background work is wanted and queued (see ExplorerSession+Work.swift).
    let book = Mutex(WorkBook())
    /// Entered by every background work item until it has finished or been dropped.
    let inFlight = DispatchGroup()
    /// One serial queue per kind of work (``ExplorerWork/kind``): a slow snapshot walk does not
    /// hold up a cluster drill-down, and holding `]` queues cluster reads instead of running
    /// dozens at once on a 2-core machine.
    /// The re-scanner of `--watch` and `w`, made by the first round (ExplorerSession+Watch.swift).
    let watcher = Mutex<ImageWatcher?>(nil)
    let queues = Dictionary(uniqueKeysWithValues: ExplorerWork.Kind.allCases.map {
        ($0, DispatchQueue(label: "qcowscope.work.\($0)", qos: .userInitiated))
    })

    public init(data: ExplorerData) {
        state = Mutex(data)
    }

    /// Opens `path` (and its backing chain, unless `limits` says not to) for exploring.
    public convenience init(path: String, limits: DecodingLimits = DecodingLimits()) throws(FormatError) {
        let image = try Qcow2Image(path: path, limits: limits)
        self.init(data: ExplorerData(path: path, image: image, chain: BackingChain.open(top: image)))
    }

    /// The data as it is now (a copy; cheap, the big parts are shared references), with the
    /// scan's progress and the background work under way.
    public func snapshot() -> ExplorerData {
        var data = state.withLock { $0 }
        if data.isScanning {
            data.progress = progress.fraction
            data.phase = progress.phase.label
        }
        let now = ContinuousClock.now
        data.running = book.withLock { $0.queued.mapValues { now - $0 } }
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

    /// Runs the scan on the calling thread (for `render` and tests), then the work any top-level
    /// view asks for, so every view can be drawn complete at once.
    public func scanNow() {
        runScan(snapshot())
        finished.signal()
        for view in ViewID.allCases {
            for work in Explorer.work(AppState(view: view), snapshot()) { runNow(work) }
        }
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
            result.check = CheckViewModel(analysis: analysis, filename: data.path, chain: data.chain)
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
