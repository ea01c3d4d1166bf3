import Guest

/// What the guest filesystem says of a guest cluster, for the explorer's volume layer over the
/// guest map: the space classes of ``GuestSpaceClass`` with free space split by whether the
/// cluster is allocated in this file (then it is reclaimable) or not.
public enum GuestLayerKind: Int, Sendable, Hashable, CaseIterable {
    /// Used by the filesystem (or sharing a cluster with used bytes).
    case inUse
    /// Free in the filesystem and allocated in this file: what discarding would give back.
    case reclaimable
    /// Free in the filesystem and not allocated in this file: nothing to give back.
    case freeUnallocated
    /// In no volume (partition tables, gaps, past the last partition).
    case outsideVolumes
    /// In a volume whose filesystem was not read (unknown, btrfs, LUKS, encrypted image).
    case notAnalysed
}

/// Guest clusters of a range by ``GuestLayerKind`` (one count per kind).
public struct GuestLayerCounts: Sendable, Hashable {
    public var counts = [UInt64](repeating: 0, count: GuestLayerKind.allCases.count)

    public init() {}

    public subscript(kind: GuestLayerKind) -> UInt64 {
        get { counts[kind.rawValue] }
        set { counts[kind.rawValue] = newValue }
    }

    public var total: UInt64 { counts.reduce(0, &+) }

    /// The kind a cell shows: reclaimable as soon as one cluster is (the picture is there to make
    /// it visible), else the most common kind.
    public var shown: GuestLayerKind {
        if self[.reclaimable] > 0 { return .reclaimable }
        var best = GuestLayerKind.notAnalysed
        var most: UInt64 = 0
        for kind in GuestLayerKind.allCases where self[kind] > most {
            best = kind
            most = self[kind]
        }
        return best
    }
}

/// Where one guest byte lies for the filesystem: the cursor panel and the cluster drill-down.
public struct GuestPlace: Sendable, Hashable {
    /// Index in ``VolumeUsage/volumes``, nil outside every volume.
    public var volume: Int?
    /// The filesystem block (allocation unit) holding the byte, counted from the volume's start;
    /// nil when the volume was not analysed or has no block size.
    public var block: UInt64?
    /// The byte's own class (not its cluster's).
    public var spaceClass: GuestSpaceClass
}

extension VolumeUsage {
    /// Guest clusters `clusters` (of `clusterSize` bytes) by layer kind. A cluster holding bytes of
    /// several classes takes the one that keeps it in the file (``GuestSpaceClass/rank``, as
    /// `space` counts host clusters); a free cluster is reclaimable when any byte of it is
    /// allocated in this file. Walks the class runs and allocated extents inside the range only,
    /// so a cell of a million clusters costs what its runs cost.
    public func layerCounts(clusters: Range<UInt64>, clusterSize: UInt64) -> GuestLayerCounts {
        var out = GuestLayerCounts()
        guard clusterSize > 0, !classes.isEmpty else { return out }
        let lastCluster = (diskSize &+ clusterSize &- 1) / clusterSize
        var c = clusters.lowerBound
        let end = min(clusters.upperBound, lastCluster)
        var k = runIndex(containing: c &* clusterSize)
        while c < end, k < classes.count {
            let start = c * clusterSize
            while k < classes.count, classes[k].end <= start { k += 1 }
            guard k < classes.count else { break }
            let run = classes[k]
            let clusterEnd = min(start + clusterSize, diskSize)
            let n: UInt64
            let spaceClass: GuestSpaceClass
            if run.end >= clusterEnd {
                // Whole clusters inside this run.
                let fullEnd = run.end >= diskSize ? lastCluster : run.end / clusterSize
                n = max(1, min(end, fullEnd) - c)
                spaceClass = run.spaceClass
            } else {
                n = 1
                spaceClass = GuestClassRun.strongest(in: classes, from: start, to: clusterEnd)
            }
            add(&out, spaceClass, clusters: c..<(c + n), clusterSize: clusterSize)
            c += n
        }
        return out
    }

    private func add(_ out: inout GuestLayerCounts, _ spaceClass: GuestSpaceClass, clusters: Range<UInt64>, clusterSize: UInt64) {
        let n = UInt64(clusters.count)
        switch spaceClass {
        case .inUse: out[.inUse] += n
        case .outsideVolumes: out[.outsideVolumes] += n
        case .notAnalysed: out[.notAnalysed] += n
        case .free:
            let allocatedClusters = touchedClusters(clusters, clusterSize: clusterSize)
            out[.reclaimable] += allocatedClusters
            out[.freeUnallocated] += n - allocatedClusters
        }
    }

    /// How many of `clusters` hold at least one allocated byte.
    func touchedClusters(_ clusters: Range<UInt64>, clusterSize: UInt64) -> UInt64 {
        let start = clusters.lowerBound * clusterSize, end = clusters.upperBound * clusterSize
        var i = firstExtent(in: allocated, endingAfter: start)
        var count: UInt64 = 0
        var next = clusters.lowerBound  // first cluster not counted yet
        while i < allocated.count, allocated[i].start < end {
            let first = max(max(allocated[i].start, start) / clusterSize, next)
            let last = (min(allocated[i].end, end) - 1) / clusterSize
            if last >= first {
                count += last - first + 1
                next = last + 1
            }
            i += 1
        }
        return count
    }

    /// Where guest byte `offset` lies: its volume, filesystem block and class; nil past the disk.
    public func place(of offset: UInt64) -> GuestPlace? {
        let k = runIndex(containing: offset)
        guard k < classes.count, classes[k].start <= offset, offset < classes[k].end else { return nil }
        let run = classes[k]
        var place = GuestPlace(volume: run.volume, block: nil, spaceClass: run.spaceClass)
        if let v = run.volume, volumes.indices.contains(v), let size = volumes[v].volume.filesystem.blockSize, size > 0,
           offset >= volumes[v].volume.start {
            place.block = (offset - volumes[v].volume.start) / size
        }
        return place
    }

    /// Whether guest byte `offset` is allocated with data in this file's active layer.
    public func isAllocated(_ offset: UInt64) -> Bool { GuestExtents.contains(allocated, offset) }

    private func runIndex(containing offset: UInt64) -> Int { Self.firstEnding(after: offset, count: classes.count) { classes[$0].end } }

    private func firstExtent(in extents: [GuestExtent], endingAfter offset: UInt64) -> Int {
        Self.firstEnding(after: offset, count: extents.count) { extents[$0].end }
    }

    /// The first of `count` sorted ranges (whose ends `end(i)` gives) that ends after `offset`.
    private static func firstEnding(after offset: UInt64, count: Int, end: (Int) -> UInt64) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if end(mid) <= offset { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
