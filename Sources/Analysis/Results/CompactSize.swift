import Qcow2

/// What `qemu-img measure --output=json -O qcow2 IMAGE` (qemu 7.2) reports as `required`: the size
/// of a fresh qcow2 copy of the image's current disk with default options (64 KiB clusters,
/// 16-bit refcounts, version 3, no extended L2).
///
/// `qcow2_measure` (block/qcow2.c) walks the source with `bdrv_block_status_above` over the
/// whole backing chain and counts every destination cluster that holds data which is allocated
/// and not known to be zero; `qcow2_calc_prealloc_size` adds the metadata a fully allocated
/// image of that virtual size would need, minus the unneeded data clusters. The guest map gives
/// exactly those block-status answers (``GuestMapEntry/data``, ``GuestMapEntry/zero``).
public struct CompactSize: Sendable, Hashable {
    /// QEMU's `required`: bytes a compacted copy needs.
    public var required: UInt64
    /// QEMU's `fully-allocated`: bytes with every guest cluster allocated.
    public var fullyAllocated: UInt64
    /// Destination clusters that hold data.
    public var dataClusters: UInt64

    /// The destination cluster size of `qemu-img convert -O qcow2` without options.
    public static let defaultClusterSize: UInt64 = 65536

    /// Measures the current disk of `map` (its layers: the image and its backing chain).
    public static func measure(_ map: GuestMap, clusterSize: UInt64 = defaultClusterSize) throws(FormatError) -> CompactSize {
        try measure(map, clusterSizes: [clusterSize])[0]
    }

    /// Measures the current disk of `map` for each destination cluster size in one walk of the
    /// guest map (the walk reads every active L2 table; `frag` wants two sizes).
    public static func measure(_ map: GuestMap, clusterSizes: [UInt64]) throws(FormatError) -> [CompactSize] {
        var counters = clusterSizes.map { DataClusterCounter(clusterSize: $0) }
        try map.forEachEntry(strict: false) { entry in
            guard entry.data, !entry.zero, entry.present, entry.length > 0 else { return }
            for k in counters.indices { counters[k].add(entry) }
        }
        return counters.map { sized(map, clusterSize: $0.clusterSize, dataClusters: $0.clusters) }
    }

    /// The copy of `map`'s disk with `dataClusters` destination clusters of data.
    static func sized(_ map: GuestMap, clusterSize: UInt64, dataClusters clusters: UInt64) -> CompactSize {
        // QEMU refuses virtual sizes above INT64_MAX; clamping there keeps every sum below 2^64
        // (found by Tests/Mutations/corpus/rich--size=max.qcow2: roundUp overflowed and trapped).
        let virtualSize = roundUp(min(map.virtualSize, UInt64(Int64.max)), clusterSize)
        let full = preallocatedSize(virtualSize: virtualSize, clusterSize: clusterSize, refcountOrder: 4, extendedL2: false)
        return CompactSize(required: full - virtualSize + clusters * clusterSize, fullyAllocated: full, dataClusters: clusters)
    }

    /// Destination clusters holding data, counted from the data entries in guest order (a
    /// cluster two entries touch counts once).
    private struct DataClusterCounter {
        let clusterSize: UInt64
        var clusters: UInt64 = 0
        var lastCounted: UInt64? = nil

        mutating func add(_ entry: GuestMapEntry) {
            var first = entry.start / clusterSize
            let last = (entry.end - 1) / clusterSize
            if let l = lastCounted, first <= l { first = l + 1 }
            if first <= last {
                clusters += last - first + 1
                lastCounted = last
            }
        }
    }

    /// `qcow2_calc_prealloc_size`: header, L2 tables, L1 table, refcount structures and data of a
    /// fully allocated image (sizes in bytes; the caller keeps them far below 2^63).
    public static func preallocatedSize(virtualSize: UInt64, clusterSize: UInt64, refcountOrder: UInt32,
                                        extendedL2: Bool) -> UInt64 {
        let aligned = roundUp(virtualSize, clusterSize)
        let l2EntrySize: UInt64 = extendedL2 ? 16 : 8
        var meta = clusterSize
        let l2Entries = roundUp(aligned / clusterSize, clusterSize / l2EntrySize)
        meta += l2Entries * l2EntrySize
        let l1Entries = roundUp(l2Entries * l2EntrySize / clusterSize, clusterSize / 8)
        meta += l1Entries * 8
        meta += refcountMetadataSize(clusters: (meta + aligned) / clusterSize, clusterSize: clusterSize,
                                     refcountOrder: refcountOrder)
        return meta + aligned
    }

    /// `qcow2_refcount_metadata_size` without the generous increase: the fixed point where the
    /// refcount blocks and table cover every cluster, themselves included.
    public static func refcountMetadataSize(clusters: UInt64, clusterSize: UInt64, refcountOrder: UInt32) -> UInt64 {
        let blocksPerTableCluster = clusterSize / 8
        let refcountsPerBlock = clusterSize * 8 / (UInt64(1) << UInt64(refcountOrder))
        var table: UInt64 = 0, blocks: UInt64 = 0, n: UInt64 = 0, last: UInt64
        repeat {
            last = n
            blocks = divRoundUp(clusters + table + blocks, refcountsPerBlock)
            table = divRoundUp(blocks, blocksPerTableCluster)
            n = clusters + blocks + table
        } while n != last
        return (blocks + table) * clusterSize
    }

    static func divRoundUp(_ a: UInt64, _ b: UInt64) -> UInt64 { b == 0 ? 0 : a / b + (a % b == 0 ? 0 : 1) }
    static func roundUp(_ a: UInt64, _ b: UInt64) -> UInt64 { divRoundUp(a, b) * b }
}
