import Analysis

/// How much of each part of the virtual disk a bitmap marks dirty: the coverage strip of the
/// bitmap drill-down. Keeps a running total of extent lengths so any range's dirty bytes cost two
/// binary searches, and a strip of `w` buckets costs O(w log n) whatever the extent count.
public struct BitmapCoverage: Sendable {
    public let extents: [DirtyExtent]
    public let virtualSize: UInt64
    /// `before[k]`: dirty bytes in extents `0 ..< k` (one more entry than extents).
    let before: [UInt64]

    /// `extents` must be sorted and disjoint (``BitmapExtents`` guarantees it).
    public init(extents: [DirtyExtent], virtualSize: UInt64) {
        self.extents = extents
        self.virtualSize = virtualSize
        var sums = [UInt64](repeating: 0, count: extents.count + 1)
        for (k, e) in extents.enumerated() {
            let (s, overflow) = sums[k].addingReportingOverflow(e.length)
            sums[k + 1] = overflow ? .max : s
        }
        before = sums
    }

    /// Dirty bytes below guest offset `offset`.
    public func dirtyBytes(below offset: UInt64) -> UInt64 {
        // First extent that does not end at or before `offset`.
        var low = 0
        var high = extents.count
        while low < high {
            let mid = (low + high) / 2
            if extents[mid].end <= offset { low = mid + 1 } else { high = mid }
        }
        guard low < extents.count, extents[low].start < offset else { return before[low] }
        return before[low] &+ (offset - extents[low].start)
    }

    /// Dirty bytes in guest range `range`.
    public func dirtyBytes(in range: Range<UInt64>) -> UInt64 {
        let high = dirtyBytes(below: range.upperBound)
        let low = dirtyBytes(below: range.lowerBound)
        return high >= low ? high - low : 0
    }

    /// Bucket `b` of `count` over the disk: `b * size / count ..< (b + 1) * size / count`.
    public func bucket(_ b: Int, of count: Int) -> Range<UInt64> {
        guard count > 0, b >= 0, b < count else { return 0..<0 }
        func boundary(_ i: Int) -> UInt64 {
            let p = UInt64(i).multipliedFullWidth(by: virtualSize)
            return UInt64(count).dividingFullWidth((high: p.high, low: p.low)).quotient
        }
        return boundary(b)..<boundary(b + 1)
    }

    /// The dirty fraction (0…1) of each of `count` buckets across the disk.
    public func strip(buckets count: Int) -> [Double] {
        guard count > 0, virtualSize > 0 else { return [] }
        return (0..<count).map { b in
            let r = bucket(b, of: count)
            return r.isEmpty ? 0 : Double(dirtyBytes(in: r)) / Double(r.count)
        }
    }

    /// The bucket (of `count`) holding guest offset `offset`.
    public func bucketIndex(of offset: UInt64, buckets count: Int) -> Int? {
        guard count > 0, offset < virtualSize else { return nil }
        let p = (offset + 1).multipliedFullWidth(by: UInt64(count))
        let (low, borrow) = p.low.subtractingReportingOverflow(1)
        let q = virtualSize.dividingFullWidth((high: p.high - (borrow ? 1 : 0), low: low)).quotient
        return Int(min(q, UInt64(count - 1)))
    }
}
