/// Fragmentation of the current disk as a sequential guest read sees it.
///
/// An extent is a run of guest clusters that are consecutive both in the guest and in the host
/// file (normal and preallocated zero clusters; compressed clusters are counted apart and end
/// an extent, as holes do). A seek is a step of a sequential guest read (holes and compressed
/// clusters skipped) whose next cluster is not the next one in the file; a compacted copy
/// (`qemu-img convert`) has none.
///
/// The score uses e4defrag's curve on the seek ratio: with `ratio = 100 × seeks / allocated`,
/// `score = 8 × ratio` up to a ratio of 10, then `80 + ratio / 5` (at most 100). Bands as
/// e4defrag's: 0–30 fine, 31–55 some, 56–100 worth compacting. So one seek every 25 clusters
/// (4 %) scores 32, one every 14 clusters (7 %) scores 56.
public struct FragmentationStats: Sendable, Hashable {
    /// Guest clusters with a host cluster (normal or preallocated zero), active L1 only.
    public var allocatedClusters: UInt64 = 0
    /// Compressed guest clusters (not counted as fragmentation).
    public var compressedClusters: UInt64 = 0
    /// Extents by length: `histogram[k]` counts extents of 2^k ..< 2^(k+1) clusters.
    public var histogram: [UInt64] = []
    /// Guest-adjacent pairs of allocated clusters, and those also adjacent in the file.
    public var adjacentPairs: UInt64 = 0
    public var contiguousPairs: UInt64 = 0
    /// Host seeks on a sequential guest read (holes skipped) and their mean distance in bytes.
    public var seeks: UInt64 = 0
    public var meanSeekBytes: Double = 0

    public init() {}

    public var extents: UInt64 { histogram.reduce(0, +) }
    /// Places where the next guest cluster is not the next host cluster.
    public var discontinuities: UInt64 { adjacentPairs - min(contiguousPairs, adjacentPairs) }
    /// Guest runs of allocated clusters: the fewest extents any layout could have.
    public var idealExtents: UInt64 { allocatedClusters - min(adjacentPairs, allocatedClusters) }

    /// Seeks per hundred allocated clusters.
    public var seekRatio: Double {
        allocatedClusters == 0 ? 0 : Double(seeks) * 100 / Double(allocatedClusters)
    }

    /// 0 (laid out in guest order) to 100 (a seek at nearly every cluster).
    public var score: Int {
        let r = seekRatio
        return min(100, Int((r > 10 ? 80 + 20 * r / 100 : 8 * r).rounded()))
    }

    /// e4defrag-style verdict for ``score``.
    public var band: String {
        switch score {
        case ...30: "fine"
        case 31...55: "some"
        default: "worth compacting"
        }
    }
}
