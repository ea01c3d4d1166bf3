import Analysis
import Dispatch
import Qcow2
import Reports

/// Watching (`--watch [SECONDS]`, `w`): the image re-scanned every few seconds in the background
/// (``ImageWatcher``, which reuses the last scan when no metadata byte changed), the explorer's
/// data replaced by what the new scan found, and what changed kept for the views to highlight
/// (``WatchStatus``).
extension ExplorerSession {
    /// Called by the run loop every turn with how often to re-scan (nil: not watching, which
    /// forgets what was seen). Starts a round in the background once the first scan is done and
    /// the last round ended `seconds` ago. Cheap when nothing is due.
    public func watch(every seconds: Double?) {
        let start = state.withLock { data -> Bool in
            guard let seconds else {
                data.watch = nil
                return false
            }
            if data.watch == nil { data.watch = WatchStatus(seconds: seconds) }
            data.watch?.seconds = seconds
            guard !data.isScanning, data.analysis != nil, data.watch?.isDue(now: .now) == true else { return false }
            data.watch?.isRunning = true
            return true
        }
        guard start else { return }
        inFlight.enter()
        DispatchQueue.global(qos: .utility).async { [self] in
            defer { inFlight.leave() }
            watchRoundNow()
        }
    }

    /// One round on the calling thread (tests; ``watch(every:)`` runs it in the background):
    /// re-scan, and when the metadata changed, new results, the image reopened (its new size)
    /// and the guest ranges of the new clusters.
    public func watchRoundNow() {
        let data = snapshot()
        guard let analysis = data.analysis else { return }
        let watcher = self.watcher.withLock { watcher -> ImageWatcher in
            if let watcher { return watcher }
            let made = ImageWatcher(image: data.image)
            made.seed(analysis)
            watcher = made
            return made
        }
        let round = Result { try watcher.next() }
        var fresh: (chain: BackingChain, results: ExplorerResults, newGuest: [Range<UInt64>])?
        if case .success(let r) = round, !r.reused {
            let image = r.analysis.image
            let chain = BackingChain.open(top: image)
            var results = ExplorerResults()
            results.analysis = r.analysis
            results.hostMap = HostMapSummary(analysis: r.analysis)
            results.check = CheckViewModel(analysis: r.analysis, filename: data.path, chain: chain)
            results.loadGuestMap(chain: chain)
            let newGuest = results.guestMap?.guestRanges(ofHostClusters: r.newClusters, clusterBits: Int(image.header.clusterBits)) ?? []
            fresh = (chain, results, newGuest)
        }
        state.withLock { data in
            // Watching stopped (`w`) while the round ran: its news is dropped with the rest.
            guard data.watch != nil else { return }
            data.watch?.isRunning = false
            data.watch?.lastEnded = .now
            switch round {
            case .failure(let error):
                data.watch?.error = "\(error)"
            case .success(let r):
                data.watch?.error = nil
                data.watch?.round = r
                data.watch?.newHost = r.newClusters
                data.watch?.newGuest = fresh?.newGuest ?? []
                data.watch?.growth.append(UInt64(max(0, r.fileGrowth)))
                if let n = data.watch?.growth.count, n > WatchStatus.historyLimit {
                    data.watch?.growth.removeFirst(n - WatchStatus.historyLimit)
                }
                if let fresh { Self.replace(&data, image: r.analysis.image, chain: fresh.chain, results: fresh.results) }
            }
        }
    }

    /// The data after a re-scan that found changes: the reopened image, its chain and results;
    /// what was decoded from the old metadata (bitmaps, their audits, the chain's layer bytes)
    /// is dropped to be asked for again. Snapshot maps, diffs and the guest's volumes are kept:
    /// a running VM does not change its snapshots, and reading the guest again is slow.
    static func replace(_ data: inout ExplorerData, image: Qcow2Image, chain: BackingChain, results: ExplorerResults) {
        data.image = image
        data.chain = chain
        data.info = InfoReport(image: image, filename: data.path, chain: chain)
        data.results = results
        data.bitmaps = nil
        data.bitmapAudits = nil
        data.layerAccounting = nil
    }
}
