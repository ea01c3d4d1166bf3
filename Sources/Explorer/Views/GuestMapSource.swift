import Analysis
import Qcow2

/// What a guest-map screen shows: the current disk (view 3) or an internal snapshot's disk
/// (Drill.snapshotGuestMap), each a map of the chain with its walked overview.
public struct GuestMapSource: Sendable {
    /// "current disk" or "snapshot 2 "name"" (escaped).
    public var title: String
    /// Identifies the map in caches ("current", "snapshot 3" by table index: names may repeat).
    public var key: String
    public var map: GuestMap
    public var overview: GuestMapOverview
    /// Escaped file names of the chain's layers by depth (0 = this image).
    public var layerNames: [String]
    /// Cells and cursor details kept between frames (shared by every copy of the results).
    public var cache: GuestMapFrameCache
    /// The escaped name of the backing file the chain names but could not open: what reads as
    /// unallocated here would come from it.
    public var missingBacking: String?
    /// What the guest filesystems say of the disk, for the volume layer (`v`): the current disk's
    /// once read in the background; nil for a snapshot's disk and until then.
    public var volumes: VolumeUsage?
    /// Why the volume layer has nothing to show (still reading, failed, a snapshot's disk).
    public var volumesNote: String?

    /// Guest bytes the clusters allocated since the last re-scan map to (watching, the current
    /// disk only): highlighted.
    public var newGuest: [Range<UInt64>] = []

    public var summary: GuestMapSummary { overview.summary }

    /// The current disk, once the background walk has finished.
    public static func current(_ data: ExplorerData) -> GuestMapSource? {
        guard let map = data.results.guestMap, let overview = data.results.guestOverview else { return nil }
        var source = GuestMapSource(title: "current disk", key: "current", map: map, overview: overview, layerNames: layerNames(data),
                                    cache: data.results.guestFrames, missingBacking: data.missingBackingFile)
        source.newGuest = data.watch?.newGuest ?? []
        switch data.volumes {
        case .success(let usage)?: source.volumes = usage
        case .failure?: source.volumesNote = "the guest disk could not be read"
        case nil: source.volumesNote = "reading guest filesystems"
        }
        return source
    }

    /// Snapshot `index`, or nil until its walk (``ExplorerWork/snapshotMap(_:)``) is done.
    public static func snapshot(_ index: Int, _ data: ExplorerData) -> Result<GuestMapSource, SnapshotGuestMapError>? {
        data.snapshotMaps[index].map { $0.map { s in
            GuestMapSource(title: "snapshot \(s.snapshot.id.escaped) \"\(s.snapshot.name.escaped)\"", key: "snapshot \(index)", map: s.map,
                           overview: s.overview, layerNames: layerNames(data), cache: data.results.guestFrames,
                           missingBacking: data.missingBackingFile, volumesNote: "the current disk only, not a snapshot's")
        } }
    }

    static func layerNames(_ data: ExplorerData) -> [String] {
        data.chain.layers.map(\.displayName)
    }

    /// What clusters of `kind` read as: its name, except that "unallocated" clusters of an image
    /// whose backing file is missing are "from backing file NAME (missing)".
    public func label(_ kind: GuestClusterKind) -> String {
        if kind == .unallocated, let missingBacking { return "from backing file \(missingBacking) (missing)" }
        return kind.label
    }

    /// The name of the layer at `depth`, or "depth N" when the chain is shorter.
    public func layerName(_ depth: Int) -> String {
        depth >= 0 && depth < layerNames.count ? layerNames[depth] : "depth \(depth)"
    }
}
