/// Where a sequential read of the virtual disk jumps in the image file: the guest clusters whose
/// host cluster is not the one after the previous mapped cluster's (holes skipped, as
/// ``FragmentationStats/seeks`` counts them), sorted, for the guest map's fragmentation overlay.
///
/// Only the top image's own clusters count (depth 0: normal and preallocated zero clusters with
/// a host offset, in the image file or its external data file); backing layers live in other
/// files. The index keeps at most ``limit`` positions so a pathologically fragmented 4 TiB image
/// (tens of millions of jumps) costs a bounded 8 bytes × limit; past that, ``total`` stays exact
/// and ``indexedClusters`` says how far the positions are complete.
public struct GuestJumpIndex: Sendable, Hashable {
    /// 4 Mi positions: 32 MiB at most.
    public static let defaultLimit = 1 << 22

    /// Guest cluster indices where a jump lands, ascending.
    public private(set) var positions: [UInt64] = []
    /// Every jump, including those not kept.
    public private(set) var total: UInt64 = 0
    /// Positions are complete for guest clusters `0 ..< indexedClusters`.
    public private(set) var indexedClusters: UInt64 = .max
    public let limit: Int

    public init(limit: Int = Self.defaultLimit) { self.limit = max(0, limit) }

    /// Whether some jumps were counted but not kept.
    public var isTruncated: Bool { indexedClusters != .max }

    /// Jumps landing in guest clusters `range`, and whether that number is exact (false when the
    /// range reaches past ``indexedClusters``). Two binary searches.
    public func count(in range: Range<UInt64>) -> (count: Int, exact: Bool) {
        (lowerIndex(range.upperBound) - lowerIndex(range.lowerBound), range.upperBound <= indexedClusters)
    }

    /// The jump after guest cluster `cluster` (`forward`) or before it, wrapping around; nil
    /// when none is indexed. For stepping through the jumps with `n` / `N`.
    public func next(after cluster: UInt64, forward: Bool) -> UInt64? {
        guard let first = positions.first, let last = positions.last else { return nil }
        if forward {
            let i = cluster == .max ? positions.count : lowerIndex(cluster + 1)
            return i < positions.count ? positions[i] : first
        }
        let i = lowerIndex(cluster)
        return i > 0 ? positions[i - 1] : last
    }

    /// The first index of `positions` whose value is `>= value`.
    private func lowerIndex(_ value: UInt64) -> Int {
        var low = 0
        var high = positions.count
        while low < high {
            let mid = (low + high) / 2
            if positions[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Records a jump at guest cluster `cluster` (called in ascending order).
    mutating func add(_ cluster: UInt64) {
        total &+= 1
        guard !isTruncated else { return }
        if positions.count < limit {
            positions.append(cluster)
        } else {
            indexedClusters = cluster
        }
    }

    /// Follows a walk of the map piece by piece and records its jumps.
    struct Builder {
        let clusterSize: UInt64
        var index: GuestJumpIndex
        /// Last mapped guest cluster and its host cluster offset.
        var last: (guest: UInt64, host: UInt64)?

        init(clusterSize: UInt64, limit: Int) {
            self.clusterSize = max(clusterSize, 1)
            index = GuestJumpIndex(limit: limit)
        }

        /// One piece of the walk: only depth-0 pieces with a host offset take part.
        mutating func add(_ entry: GuestMapEntry, _ state: GuestState) {
            guard entry.depth == 0, entry.length > 0, let offset = entry.offset,
                  state == .data || state == .zeroAllocated || state == .rawData else { return }
            // Map entries lie inside the virtual disk (start + length ≤ its size) and their host
            // offsets are a masked L2 offset plus less than one table's span: no sum here wraps.
            let cs = clusterSize
            let mask = cs - 1
            let firstGuest = entry.start / cs
            let firstHost = offset &- (entry.start & mask)
            if let last, firstGuest != last.guest, firstHost != last.host &+ cs {
                index.add(firstGuest)
            }
            let lastByte = entry.start &+ (entry.length - 1)
            let lastHostByte = offset &+ (entry.length - 1)
            last = (lastByte / cs, lastHostByte &- (lastByte & mask))
        }
    }
}
