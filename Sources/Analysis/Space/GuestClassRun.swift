import Guest

/// What a guest byte is to `space`, for the explorer's guest-map layer and the file breakdown.
public enum GuestSpaceClass: UInt8, Sendable, Hashable, CaseIterable, Comparable {
    /// In a volume whose filesystem was not read (unknown, btrfs, LUKS, not-linear LVM...).
    case notAnalysed = 1
    /// In no volume: partition tables, gaps between partitions, after the last one.
    case outsideVolumes
    /// Free in the filesystem, in an allocation unit with no used byte: reclaimable when allocated.
    case free
    /// Used by the filesystem, or free but sharing an allocation unit with used bytes.
    case inUse

    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }

    /// Which class a host cluster holding guest bytes of several classes takes: the one that keeps
    /// it in the file. In use first (it cannot be given back), then not analysed (unknown), then
    /// outside volumes, then free.
    var rank: Int {
        switch self {
        case .free: 0
        case .outsideVolumes: 1
        case .notAnalysed: 2
        case .inUse: 3
        }
    }
}

/// A run of guest bytes of one class and volume (`volume` nil outside volumes).
struct GuestClassRun: Sendable {
    var start: UInt64
    var end: UInt64
    var spaceClass: GuestSpaceClass
    var volume: Int?

    /// The disk as contiguous runs from 0 to `diskSize`: each volume's extents, split into free
    /// (its reclaimable-shaped free units: free bytes whose allocation unit has no used byte) and
    /// in use, and what no volume covers. `volumes` have disjoint extents (``VolumeUsage`` clips them).
    static func runs(volumes: [VolumeUsage.Volume], diskSize: UInt64) -> [GuestClassRun] {
        var pieces: [GuestClassRun] = []
        for (index, v) in volumes.enumerated() {
            guard v.isAnalysed else {
                pieces += v.extents.map { GuestClassRun(start: $0.start, end: $0.end, spaceClass: .notAnalysed, volume: index) }
                continue
            }
            let run = { (e: GuestExtent, c: GuestSpaceClass) in GuestClassRun(start: e.start, end: e.end, spaceClass: c, volume: index) }
            pieces += v.freeUnitExtents.map { run($0, .free) }
            pieces += GuestExtents.subtracting(v.extents, v.freeUnitExtents).map { run($0, .inUse) }
        }
        pieces.sort { $0.start < $1.start }
        var out: [GuestClassRun] = []
        var at: UInt64 = 0
        for p in pieces where p.end > p.start {
            if p.start > at { out.append(GuestClassRun(start: at, end: p.start, spaceClass: .outsideVolumes, volume: nil)) }
            out.append(p)
            at = p.end
        }
        if at < diskSize { out.append(GuestClassRun(start: at, end: diskSize, spaceClass: .outsideVolumes, volume: nil)) }
        return out
    }
}
