import Qcow2
import Analysis

/// Data a screen shows that is too slow to compute while drawing a frame: it reads the image or
/// walks big tables (seconds on a huge image, cold cache). The screen names what it needs
/// (``ExplorerScreen/work(_:_:)``), the session computes it off the UI thread
/// (``ExplorerSession/requestWork(for:)``) and stores it in ``ExplorerData``; until then the
/// screen draws a "walking…" notice. A value, so the pure `update`/`render` can speak of it.
public enum ExplorerWork: Sendable, Hashable {
    /// Walk internal snapshot `index`'s L1/L2 tables into a guest map and its overview.
    case snapshotMap(Int)
    /// Decode every persistent bitmap into dirty extents (bitmap tables and data clusters).
    case bitmaps
    /// Read host cluster `cluster`, find who references it (up to 64 MiB of L2 tables, none at
    /// all when `via`, the entry the drill-down came from, is every reference the scan counted)
    /// and decode it.
    case cluster(UInt64, via: ClusterReference? = nil)
    /// Read the guest's partition tables and filesystems' free maps through the active layer and
    /// match them with the file's clusters (``VolumeUsage``): the Volumes view, the guest map's
    /// volume layer and the header's headline. Runs after the scan whatever view is in front.
    case volumes
    /// The metadata diff between two states of the image (the snapshots view's `d` / `D`).
    case diff(DiffPair)
    /// That diff's changed clusters read and compared on both sides (`c` in the diff); stopped
    /// as soon as it is no longer wanted (``ContentDiffProgress``).
    case diffContent(DiffPair)
    /// Each chain layer's own and shadowed bytes (``LayerAccounting``): the snapshots view's bars.
    case layerAccounting
    /// Each bitmap audited against the snapshot it best matches (``BitmapAuditMatch``).
    case bitmapAudit

    /// Whether `data` already holds this work's result.
    public func isDone(in data: ExplorerData) -> Bool {
        switch self {
        case .snapshotMap(let i): data.snapshotMaps[i] != nil
        case .bitmaps: data.bitmaps != nil
        case .cluster(let c, _): data.results.clusterDetails[c] != nil
        case .volumes: data.volumes != nil
        case .diff(let p): data.diffs[p] != nil
        case .diffContent(let p): data.contentDiffs[p] != nil
        case .layerAccounting: data.layerAccounting != nil
        case .bitmapAudit: data.bitmapAudits != nil
        }
    }

    /// Does the work (slow: call it off the UI thread) and returns how to store its result in
    /// the session's data. The result is dropped when the data no longer matches what it was
    /// computed from: a cluster drill-down made before the scan finished lacks the roles and
    /// refcounts the finished scan knows.
    func compute(_ data: ExplorerData) -> @Sendable (inout ExplorerData) -> Void {
        switch self {
        case .snapshotMap(let i):
            let entry = SnapshotGuestMap.build(i, data: data)
            return { $0.snapshotMaps[i] = entry }
        case .bitmaps:
            let decoded = DecodedBitmap.decodeAll(data.image)
            return { $0.bitmaps = decoded }
        case .cluster(let c, let via):
            let model = ClusterDetailModel(cluster: c, data: data, via: via)
            let scanned = data.analysis != nil
            return { if ($0.analysis != nil) == scanned { $0.results.clusterDetails.insert(model) } }
        case .volumes:
            guard data.analysis != nil else { return { _ in } }
            let usage = Result { () throws(FormatError) -> VolumeUsage in
                try VolumeUsage.read(chain: data.chain, progress: data.volumeProgress)
            }
            return { $0.volumes = usage }
        case .diff(let p):
            let entry = SnapshotDiff.build(p, data: data)
            return { $0.diffs[p] = entry }
        case .diffContent(let p):
            let metadata = data.diffs[p] ?? SnapshotDiff.build(p, data: data)
            let entry: SnapshotDiff.Entry?
            switch metadata {
            case .success(let diff): entry = diff.comparingContent(data.contentProgress)
            case .failure: entry = metadata
            }
            guard let entry else { return { _ in } }
            return { $0.contentDiffs[p] = entry }
        case .layerAccounting:
            let accounting = Result { () throws(FormatError) in try LayerAccounting.compute(chain: data.chain, snapshots: []) }
            return { $0.layerAccounting = accounting }
        case .bitmapAudit:
            let audits = BitmapAuditMatch.matchAll(data.bitmaps ?? DecodedBitmap.decodeAll(data.image), data: data)
            return { $0.bitmapAudits = audits }
        }
    }

    /// Work of one kind runs one item at a time, in request order (see ``ExplorerSession``).
    var kind: Kind {
        switch self {
        case .snapshotMap: .snapshotMap
        case .bitmaps: .bitmaps
        case .cluster: .cluster
        case .volumes: .volumes
        case .diff: .diff
        case .diffContent: .diffContent
        case .layerAccounting: .layerAccounting
        case .bitmapAudit: .bitmapAudit
        }
    }

    /// The kinds of work, each with its own serial queue.
    enum Kind: CaseIterable {
        case snapshotMap, bitmaps, cluster, volumes, diff, diffContent, layerAccounting, bitmapAudit
    }
}

extension Explorer {
    /// The work the screen in front needs, and the work any registered view wants done in the
    /// background whatever is in front (``ExplorerScreen/backgroundWork(_:)``), that `data` does
    /// not hold yet.
    public static func work(_ state: AppState, _ data: ExplorerData) -> [ExplorerWork] {
        let standing = ViewID.allCases.flatMap { $0.registration.screen.backgroundWork(data) }
        let front = frontWork(state, data) + screenType(state.front).sideWork(state, data).filter { !$0.isDone(in: data) }
        return front + standing.filter { !front.contains($0) && !$0.isDone(in: data) }
    }

    /// The work the screen in front waits for (its keys are typed ahead meanwhile).
    static func frontWork(_ state: AppState, _ data: ExplorerData) -> [ExplorerWork] {
        screenType(state.front).work(state, data).filter { !$0.isDone(in: data) }
    }
}

extension ExplorerWork {
    /// A content comparison (the one kind of work that can be stopped midway).
    var isContentDiff: Bool {
        if case .diffContent = self { return true }
        return false
    }
}
