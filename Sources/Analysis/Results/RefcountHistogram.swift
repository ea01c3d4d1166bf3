/// Host clusters counted by refcount value: 0, 1, 2 and 3 each get a bucket, larger values
/// share power-of-two buckets (4–7, 8–15, …), so a 64-bit refcount width still needs only 64
/// buckets and the refcounts view can draw it as one short histogram.
///
/// The scan fills one for the refcounts stored in the refcount blocks (spec, "Host cluster
/// management") and one for the references it counted itself, over the clusters QEMU compares.
public struct RefcountHistogram: Sendable, Hashable {
    /// `counts[bucket(of: v)]` clusters have refcount `v`; trailing empty buckets are dropped.
    public private(set) var counts: [UInt64]

    public init(counts: [UInt64] = []) { self.counts = counts }

    /// The bucket of refcount `value`: the value itself below 4, else 2 + log2(value).
    @inline(__always)
    public static func bucket(of value: UInt64) -> Int {
        value < 4 ? Int(value) : 65 - value.leadingZeroBitCount
    }

    /// The refcounts bucket `k` holds (`3...3`, `4...7`, …).
    public static func range(ofBucket k: Int) -> ClosedRange<UInt64> {
        guard k >= 4 else { return UInt64(max(0, k))...UInt64(max(0, k)) }
        let shift = UInt64(min(k - 2, 63))
        let low = UInt64(1) << shift
        return low...(shift == 63 ? UInt64.max : (low << 1) - 1)
    }

    /// `0`, `1`, `2`, `3`, `4–7`, `8–15`, … (the histogram's row labels).
    public static func label(ofBucket k: Int) -> String {
        let r = range(ofBucket: k)
        return r.lowerBound == r.upperBound ? "\(r.lowerBound)" : "\(r.lowerBound)–\(r.upperBound)"
    }

    /// Clusters counted.
    public var total: UInt64 { counts.reduce(0, &+) }

    /// Clusters in bucket `k` (0 past the end).
    public func count(inBucket k: Int) -> UInt64 { k >= 0 && k < counts.count ? counts[k] : 0 }

    /// Sets the refcount-0 bucket to the clusters of `total` not counted in another bucket
    /// (the scan adds only non-zero refcounts, to keep its loop over free clusters short).
    mutating func setZeros(covering total: UInt64) {
        if counts.isEmpty { counts = [0] }
        counts[0] = 0
        let nonZero = self.total
        counts[0] = total >= nonZero ? total - nonZero : 0
    }

    /// Counts `clusters` clusters of refcount `value`.
    @inline(__always)
    mutating func add(_ value: UInt64, clusters: UInt64 = 1) {
        let k = Self.bucket(of: value)
        if k >= counts.count { counts += Array(repeating: 0, count: k + 1 - counts.count) }
        counts[k] &+= clusters
    }
}
