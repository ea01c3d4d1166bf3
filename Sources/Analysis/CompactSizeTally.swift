import Qcow2

/// ``CompactSize/measure(_:clusterSizes:)`` from the active L2 tables a scan reads anyway: `frag`
/// needs both the scan and the compacted size, and the measure's own walk of the guest map read
/// every active L2 table a second time (issue 15: one pass).
///
/// The measure counts the destination clusters that data (not zero, present) touches, walking the
/// guest map in order. When no destination cluster straddles two L2 tables (a table's guest span
/// is a multiple of every destination cluster size), that count is the sum of each table's own
/// count, whatever order the tables come in; each table's count is the guest-map walk itself
/// (``GuestMapWalker``) over that table's bytes. So the scan hands over each table the active L1
/// names (``add(l2Offset:table:)``), in file order, and ``result()`` adds them up.
///
/// Only for what that covers exactly: one qcow2 layer (no backing file, no external data file)
/// whose active L1 table was read whole, every named table cluster-aligned. ``init?(map:clusterSizes:)``
/// refuses anything else, and ``result()`` is nil when a table never came (an unreadable one):
/// then the caller measures the usual way.
public final class CompactSizeTally: @unchecked Sendable {
    private let map: GuestMap
    private let image: Qcow2Image
    private let clusterSizes: [UInt64]
    private let shift: UInt64
    /// The L1 indexes naming a table, with its offset, sorted by offset (then index): the scan
    /// hands the tables over in file order, so a cursor finds each one's indexes.
    private var named: [(offset: UInt64, index: Int)] = []
    private var cursor = 0
    /// Per entry of `named`, whether its table came, and its destination clusters per size.
    private var seen: [Bool] = []
    private var tallies: [UInt64] = []
    /// The guest-map walk, its pieces counted here.
    private lazy var walker = GuestMapWalker(layers: map.layers, strict: false) { [unowned self] entry, _ in self.count(entry) }
    /// The counting state of the table being walked (the walker's output goes here).
    private var counters: [Counter] = []
    /// The count from the entries alone, when the image allows it (nil: the walk counts).
    private let direct: DirectCompactCount?

    private struct Counter {
        let clusterSize: UInt64
        var clusters: UInt64 = 0
        var lastCounted: UInt64? = nil
    }

    /// Nil when the map is not one plain qcow2 layer the tables alone can measure.
    public init?(map: GuestMap, clusterSizes: [UInt64]) {
        guard map.layers.count == 1, case .qcow2(let image, let l1) = map.layers[0].format,
              !map.layers[0].hasDataFile, map.layers[0].damage == nil, !clusterSizes.isEmpty else { return nil }
        let header = image.header
        let shift = GuestMapWalker.l1Shift(header)
        guard shift < 63, clusterSizes.allSatisfy({ $0 > 0 && (UInt64(1) << shift) % $0 == 0 }) else { return nil }
        self.map = map
        self.image = image
        self.clusterSizes = clusterSizes
        self.shift = shift
        let size = map.virtualSize
        let tables = size == 0 ? 0 : Int(min(UInt64(l1.count), ((size - 1) >> shift) + 1))
        for i in 0..<tables {
            let offset = l1[i] & Qcow2.l1OffsetMask
            if offset == 0 { continue }
            guard offset & (header.clusterSize - 1) == 0 else { return nil }
            named.append((offset, i))
        }
        named = Self.sorted(named, clusterBits: UInt64(header.clusterBits))
        seen = Array(repeating: false, count: named.count)
        tallies = Array(repeating: 0, count: named.count * clusterSizes.count)
        counters = clusterSizes.map { Counter(clusterSize: $0) }
        direct = DirectCompactCount(image: image, layer: map.layers[0], clusterSizes: clusterSizes)
    }

    deinit { direct?.release() }

    /// `named` by offset, then index. Offsets are cluster aligned: when the cluster number and the
    /// index each fit 32 bits (a file below 2^32 clusters), both go into one integer key, sorted
    /// without a comparison closure (the closure's sort of the 32 Ki tables of a 64 GiB
    /// 4 KiB-cluster image was a millisecond and a half of `frag`).
    private static func sorted(_ named: [(offset: UInt64, index: Int)], clusterBits: UInt64) -> [(offset: UInt64, index: Int)] {
        guard named.allSatisfy({ $0.offset >> clusterBits <= UInt64(UInt32.max) && $0.index <= Int(UInt32.max) }) else {
            return named.sorted { $0.offset != $1.offset ? $0.offset < $1.offset : $0.index < $1.index }
        }
        var keys = named.map { ($0.offset >> clusterBits) << 32 | UInt64($0.index) }
        keys.sort()
        return keys.map { (offset: ($0 >> 32) << clusterBits, index: Int($0 & 0xFFFF_FFFF)) }
    }

    /// The scan read the L2 table at `l2Offset` (as the active L1 names it): count what each L1
    /// index naming it maps. A table read twice (a scan run again) counts once. `mask`: the
    /// table's ``EntryMask`` when the reader made one.
    func add(l2Offset: UInt64, table: UnsafeRawBufferPointer, mask: UnsafePointer<UInt64>? = nil) {
        if cursor >= named.count || named[cursor].offset > l2Offset {
            // Out of file order: find the first entry at or after l2Offset again.
            var low = 0, high = named.count
            while low < high {
                let mid = (low + high) / 2
                if named[mid].offset < l2Offset { low = mid + 1 } else { high = mid }
            }
            cursor = low
        }
        while cursor < named.count, named[cursor].offset < l2Offset { cursor += 1 }
        let size = map.virtualSize
        while cursor < named.count, named[cursor].offset == l2Offset {
            let i = named[cursor].index
            let from = UInt64(i) << shift
            let to = min(size, UInt64(i + 1) << shift)
            if let direct {
                let k = cursor * counters.count
                tallies.withUnsafeMutableBufferPointer { t in
                    direct.count(table: table, mask: mask, length: to > from ? to - from : 0,
                                 into: UnsafeMutableBufferPointer(rebasing: t[k..<(k + counters.count)]))
                }
                seen[cursor] = true
                cursor += 1
                continue
            }
            for k in counters.indices {
                counters[k].clusters = 0
                counters[k].lastCounted = nil
            }
            do {
                try walker.walkL2(layer: 0, image: image, table: table, l2Offset: l2Offset, from: from, to: to)
                seen[cursor] = true
                for k in counters.indices { tallies[cursor * counters.count + k] = counters[k].clusters }
            } catch {
                // Not thrown when not strict; a table left out makes result() nil.
            }
            cursor += 1
        }
    }

    /// A piece of the walk.
    private func count(_ entry: GuestMapEntry) {
        guard entry.data, !entry.zero, entry.present, entry.length > 0 else { return }
        for k in counters.indices {
            let clusterSize = counters[k].clusterSize
            var first = entry.start / clusterSize
            let last = (entry.end - 1) / clusterSize
            if let l = counters[k].lastCounted, first <= l { first = l + 1 }
            if first <= last {
                counters[k].clusters += last - first + 1
                counters[k].lastCounted = last
            }
        }
    }

    /// The measures, as ``CompactSize/measure(_:clusterSizes:)`` gives them; nil when a table
    /// the active L1 names was not handed over.
    public func result() -> [CompactSize]? {
        guard !seen.contains(false) else { return nil }
        return clusterSizes.enumerated().map { k, clusterSize in
            var clusters: UInt64 = 0
            for t in seen.indices { clusters += tallies[t * clusterSizes.count + k] }
            return CompactSize.sized(map, clusterSize: clusterSize, dataClusters: clusters)
        }
    }
}
