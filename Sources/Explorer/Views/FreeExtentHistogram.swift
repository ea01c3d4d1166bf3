import Formatting
import Analysis
import Guest
import Reports

/// A filesystem's free-space fragmentation, as `e2freefrag` shows it: its free extents counted by
/// size, in buckets that grow by a factor of four from the block size, with the free bytes each
/// bucket holds. Many small extents mean a fragmented free space; a few large ones a compact one.
public struct FreeExtentHistogram: Sendable, Hashable {
    public struct Bucket: Sendable, Hashable {
        /// Extents of at least `low` bytes and less than `high`.
        public var low: UInt64
        public var high: UInt64
        public var extents: UInt64
        public var bytes: UInt64
    }

    /// Buckets from the smallest to the largest that holds an extent (empty ones between kept).
    public var buckets: [Bucket]
    public var extentCount: UInt64
    public var freeBytes: UInt64
    public var largest: UInt64

    /// Buckets at most: 4 KiB blocks reach 4 PiB by then.
    static let bucketLimit = 26

    /// The free extents of `volume` (its filesystem's, clipped to the volume), by size.
    public init(_ volume: VolumeUsage.Volume) {
        let block = max(volume.volume.filesystem.blockSize ?? 512, 1)
        var all: [Bucket] = []
        var low = block
        for _ in 0..<Self.bucketLimit {
            let (high, overflow) = low.multipliedReportingOverflow(by: 4)
            all.append(Bucket(low: low, high: overflow ? .max : high, extents: 0, bytes: 0))
            if overflow { break }
            low = high
        }
        var count: UInt64 = 0, bytes: UInt64 = 0, top: UInt64 = 0
        for e in volume.freeExtents where e.length > 0 {
            let i = all.firstIndex { e.length < $0.high } ?? all.count - 1
            all[i].extents += 1
            all[i].bytes &+= e.length
            count += 1
            bytes &+= e.length
            top = max(top, e.length)
        }
        let used = all.indices.filter { all[$0].extents > 0 }
        buckets = used.isEmpty ? [] : Array(all[(used.first ?? 0)...(used.last ?? 0)])
        extentCount = count
        freeBytes = bytes
        largest = top
    }

    /// The bucket's label: `64 KiB–256 KiB`.
    public static func label(_ bucket: Bucket) -> String {
        bucket.high == .max ? "≥ \(Formatted.humanSize(bucket.low))"
            : "\(Formatted.humanSize(bucket.low))–\(Formatted.humanSize(bucket.high))"
    }

    /// The share of the free bytes in extents of at least `size` bytes (0 when nothing is free).
    public func share(atLeast size: UInt64) -> Double {
        guard freeBytes > 0 else { return 0 }
        let big = buckets.filter { $0.low >= size }.reduce(UInt64(0)) { $0 &+ $1.bytes }
        return Double(big) / Double(freeBytes)
    }
}
