import Qcow2

/// The guest map condensed for the explorer's guest-map view: extents of one ``GuestState`` and
/// depth (host offsets dropped, so a fragmented image still condenses), searched by binary
/// search, and counted per guest cluster.
///
/// A 4 TiB image is summarised into a few thousand buckets in one pass over the extents
/// (``buckets(_:)``); a cluster whose range holds more than one kind of content (partially
/// allocated subclusters, the end of a shorter backing file, a raw file's hole) counts as mixed.
public struct GuestMapSummary: Sendable {
    public let virtualSize: UInt64
    /// Bytes per guest cluster counted (the top image's cluster size).
    public let clusterSize: UInt64
    /// Extent `k` covers `starts[k] ..< (starts[k + 1] or virtualSize)`.
    public let starts: [UInt64]
    public let states: [GuestState]
    public let depths: [UInt8]
    /// Entries QEMU would refuse, found while walking.
    public let findings: [Finding]

    public var extentCount: Int { starts.count }
    public var clusterCount: UInt64 { clusterSize == 0 ? 0 : virtualSize / clusterSize + (virtualSize % clusterSize == 0 ? 0 : 1) }

    /// Extent `k` as a byte range.
    public func range(of k: Int) -> Range<UInt64> {
        starts[k]..<(k + 1 < starts.count ? starts[k + 1] : virtualSize)
    }

    /// The extent holding guest byte `offset` (binary search), nil past the end.
    public func extentIndex(containing offset: UInt64) -> Int? {
        guard offset < virtualSize, !starts.isEmpty else { return nil }
        var low = 0
        var high = starts.count
        while high - low > 1 {
            let mid = (low + high) / 2
            if starts[mid] <= offset { low = mid } else { high = mid }
        }
        return low
    }

    /// State and depth of guest byte `offset`.
    public func state(at offset: UInt64) -> (state: GuestState, depth: Int)? {
        extentIndex(containing: offset).map { (states[$0], Int(depths[$0])) }
    }

    /// Cluster counts for guest clusters `clusters` (clipped to the disk).
    public func counts(clusters: Range<UInt64>) -> GuestClusterCounts {
        var counts = GuestClusterCounts()
        let end = min(clusters.upperBound, clusterCount)
        guard clusters.lowerBound < end else { return counts }
        let byteEnd = end.multipliedReportingOverflow(by: clusterSize)
        accumulate(&counts, from: clusters.lowerBound * clusterSize, to: byteEnd.overflow ? virtualSize : min(byteEnd.partialValue, virtualSize))
        return counts
    }

    /// The disk's clusters cut into `count` nearly equal buckets (fewer when there are fewer
    /// clusters), with their counts: `bucket b` covers clusters `b * n / count ..< (b + 1) * n / count`.
    public func buckets(_ count: Int) -> [GuestClusterCounts] {
        let n = clusterCount
        guard count > 0, n > 0 else { return [] }
        let buckets = UInt64(min(UInt64(count), n))
        // b * n / buckets without overflow, whatever the disk size.
        func boundary(_ b: UInt64) -> UInt64 {
            let product = b.multipliedFullWidth(by: n)
            return buckets.dividingFullWidth((high: product.high, low: product.low)).quotient
        }
        return (0..<buckets).map { b in counts(clusters: boundary(b)..<boundary(b + 1)) }
    }

    /// Adds the clusters of bytes `[start, end)` (cluster-aligned start) to `counts`, walking the
    /// extents that overlap; a cluster cut by an extent boundary is counted once, as mixed when
    /// its pieces differ in kind.
    private func accumulate(_ counts: inout GuestClusterCounts, from start: UInt64, to end: UInt64) {
        guard var k = extentIndex(containing: start) else { return }
        let cs = clusterSize
        var pending: (cluster: UInt64, kind: GuestClusterKind, mixed: Bool)?
        func settle() {
            if let p = pending { counts.add(p.mixed ? .mixed : p.kind, 1) }
            pending = nil
        }
        func partial(_ cluster: UInt64, _ kind: GuestClusterKind) {
            if let p = pending, p.cluster == cluster {
                if p.kind != kind { pending?.mixed = true }
            } else {
                settle()
                pending = (cluster, kind, false)
            }
        }
        while k < starts.count, starts[k] < end {
            let s = max(starts[k], start)
            let e = min(range(of: k).upperBound, end)
            let kind = GuestClusterKind(states[k], depth: Int(depths[k]))
            let firstFull = s / cs + (s % cs == 0 ? 0 : 1)
            let endFull = e == virtualSize ? e / cs + (e % cs == 0 ? 0 : 1) : e / cs
            if firstFull >= endFull {
                partial(s / cs, kind)
                if (e - 1) / cs != s / cs { partial((e - 1) / cs, kind) }
            } else {
                if s % cs != 0 { partial(s / cs, kind) }
                settle()
                counts.add(kind, endFull - firstFull)
                if e != virtualSize, e % cs != 0 { partial(endFull, kind) }
            }
            k += 1
        }
        settle()
    }
}

extension GuestMapSummary {
    /// Gathers pieces of a walk into extents of one state and depth.
    struct Builder {
        let virtualSize: UInt64
        let clusterSize: UInt64
        var starts: [UInt64] = []
        var states: [GuestState] = []
        var depths: [UInt8] = []

        init(virtualSize: UInt64, clusterSize: UInt64) {
            self.virtualSize = virtualSize
            self.clusterSize = max(clusterSize, 1)
        }

        mutating func add(_ entry: GuestMapEntry, _ state: GuestState) {
            let depth = UInt8(clamping: entry.depth)
            if let last = states.last, last == state, depths.last == depth { return }
            starts.append(entry.start)
            states.append(state)
            depths.append(depth)
        }

        func finish(findings: [Finding]) -> GuestMapSummary {
            GuestMapSummary(virtualSize: virtualSize, clusterSize: clusterSize, starts: starts, states: states,
                            depths: depths, findings: findings)
        }
    }
}
