/// Collects free space as sorted, merged guest extents while a free map is walked in order.
///
/// Walkers hand it runs of free allocation units in increasing order; adjacent runs merge, so a
/// 1 TiB filesystem's map stays a few thousand extents. The number of extents is capped (a bitmap of
/// alternating bits would otherwise make one extent per two units): past the cap further runs are
/// dropped — counted as in use, the safe side for "reclaimable" — and ``overflowed`` says so.
struct FreeExtentBuilder {
    /// At most this many extents (16 bytes each: 64 MiB).
    static let maxExtents = 4 << 20

    /// Absolute guest offset of unit 0.
    let base: UInt64
    /// Bytes per allocation unit.
    let unitSize: UInt64
    private(set) var extents: [GuestExtent] = []
    /// Free units kept in ``extents``.
    private(set) var freeUnits: UInt64 = 0
    private(set) var overflowed = false
    private var lastEnd: UInt64 = 0

    init(base: UInt64, unitSize: UInt64) {
        self.base = base
        self.unitSize = unitSize
    }

    /// Adds `count` free units starting at unit `start`; runs must come in increasing order.
    /// Every caller caps units at what fits its volume (ext's map blocks, NTFS's and FAT's cluster
    /// counts, LVM's extents that fit the PV), so `base + (start + count) × unitSize` is inside the
    /// guest disk and the wrapping arithmetic here cannot wrap.
    mutating func add(unit start: UInt64, count: UInt64) {
        guard count > 0 else { return }
        let offset = base &+ start &* unitSize
        let length = count &* unitSize
        if let last = extents.last, last.end == offset, start >= lastEnd {
            extents[extents.count - 1].length &+= length
        } else {
            guard extents.count < Self.maxExtents, extents.last.map({ $0.end <= offset }) ?? true else {
                overflowed = true
                return
            }
            extents.append(GuestExtent(start: offset, length: length))
        }
        lastEnd = start &+ count
        freeUnits &+= count
    }
}

extension Array where Element == GuestExtent {
    /// Sorts and merges overlapping or touching extents (for maps gathered out of order, like XFS's
    /// free lists beside its B+tree records).
    func sortedMerged() -> [GuestExtent] {
        var merged: [GuestExtent] = []
        merged.reserveCapacity(count)
        for extent in sorted() where extent.length > 0 {
            if let last = merged.last, extent.start <= last.end {
                merged[merged.count - 1].length = Swift.max(last.end, extent.end) - last.start
            } else {
                merged.append(extent)
            }
        }
        return merged
    }
}
