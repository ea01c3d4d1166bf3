/// Fragmentation of the current disk as a sequential guest read sees it.
///
/// An extent is a run of guest clusters that are consecutive both in the guest and in the host
/// file (normal and preallocated zero clusters; compressed clusters are counted apart and end
/// an extent, as holes do). The score follows e4defrag's idea — how far the layout is from the
/// best one possible — as `100 × (extents − ideal) / (allocated − ideal)`, where `ideal` is the
/// number of guest runs of allocated clusters. Equivalently: the percentage of guest-adjacent
/// allocated pairs that are not adjacent in the file. Bands: 0–30 fine, 31–55 some,
/// 56–100 worth compacting.
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

    /// 0 (perfectly laid out) to 100 (no two neighbours adjacent in the file).
    public var score: Int {
        guard adjacentPairs > 0 else { return 0 }
        return Int((Double(discontinuities) * 100 / Double(adjacentPairs)).rounded())
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
