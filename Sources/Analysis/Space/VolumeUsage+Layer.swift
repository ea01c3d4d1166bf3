import Guest

/// The guest map's volume layer kinds are ``VolumeUsage/Coverage``: what the guest filesystem
/// says of a guest cluster (in use, free and allocated — reclaimable —, free and unallocated,
/// outside volumes, not analysed).
public typealias GuestLayerKind = VolumeUsage.Coverage

extension VolumeUsage.Coverage {
    /// Every kind, in legend order.
    public static let allCases: [VolumeUsage.Coverage] = [.inUse, .freeAllocated, .freeUnallocated, .outsideVolumes, .notAnalysed]

    /// Position in ``allCases`` (the counts' index).
    var index: Int {
        switch self {
        case .inUse: 0
        case .freeAllocated: 1
        case .freeUnallocated: 2
        case .outsideVolumes: 3
        case .notAnalysed: 4
        }
    }
}

/// Guest clusters of a range by ``GuestLayerKind`` (one count per kind).
public struct GuestLayerCounts: Sendable, Hashable {
    public var counts = [UInt64](repeating: 0, count: GuestLayerKind.allCases.count)

    public init() {}

    public subscript(kind: GuestLayerKind) -> UInt64 {
        get { counts[kind.index] }
        set { counts[kind.index] = newValue }
    }

    public var total: UInt64 { counts.reduce(0, &+) }

    /// The kind a cell shows: reclaimable as soon as one cluster is (the picture is there to make
    /// it visible), else the most common kind.
    public var shown: GuestLayerKind {
        if self[.freeAllocated] > 0 { return .freeAllocated }
        var best = GuestLayerKind.notAnalysed
        var most: UInt64 = 0
        for kind in GuestLayerKind.allCases where self[kind] > most {
            best = kind
            most = self[kind]
        }
        return best
    }
}

extension VolumeUsage {
    /// Guest clusters `clusters` (of `clusterSize` bytes) by layer kind, each as
    /// ``coverage(from:to:)`` classes it, without asking cluster by cluster: clusters wholly inside
    /// one class run take its class (free ones split by counting the allocated extents that touch
    /// them), only clusters that straddle runs are asked one by one. A cell of a million clusters
    /// costs what its runs and allocated extents cost.
    public func layerCounts(clusters: Range<UInt64>, clusterSize: UInt64) -> GuestLayerCounts {
        var out = GuestLayerCounts()
        guard clusterSize > 0, !classes.isEmpty else { return out }
        let lastCluster = diskSize / clusterSize + (diskSize % clusterSize == 0 ? 0 : 1)
        let end = min(clusters.upperBound, lastCluster)
        var c = clusters.lowerBound
        var k = GuestClassRun.first(in: classes, endingAfter: c &* clusterSize)
        while c < end {
            let start = c * clusterSize
            while k < classes.count, classes[k].end <= start { k += 1 }
            guard k < classes.count else { break }
            let run = classes[k]
            let clusterEnd = min(start + clusterSize, diskSize)
            guard run.end >= clusterEnd else {
                out[coverage(from: start, to: clusterEnd)] += 1
                c += 1
                continue
            }
            // Whole clusters inside this run (the disk's last, partial cluster included).
            let n = max(1, min(end, run.end >= diskSize ? lastCluster : run.end / clusterSize) - c)
            switch run.spaceClass {
            case .inUse: out[.inUse] += n
            case .outsideVolumes: out[.outsideVolumes] += n
            case .notAnalysed: out[.notAnalysed] += n
            case .free:
                let touched = touchedClusters(c..<(c + n), clusterSize: clusterSize)
                out[.freeAllocated] += touched
                out[.freeUnallocated] += n - touched
            }
            c += n
        }
        return out
    }

    /// How many of `clusters` hold at least one allocated byte.
    func touchedClusters(_ clusters: Range<UInt64>, clusterSize: UInt64) -> UInt64 {
        let start = clusters.lowerBound * clusterSize, end = min(clusters.upperBound * clusterSize, diskSize)
        var low = 0, high = allocated.count
        while low < high {
            let mid = (low + high) / 2
            if allocated[mid].end <= start { low = mid + 1 } else { high = mid }
        }
        var count: UInt64 = 0
        var next = clusters.lowerBound  // the first cluster not counted yet
        var i = low
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
}
