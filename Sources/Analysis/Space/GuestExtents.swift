import Guest

/// Interval arithmetic on sorted, merged lists of ``GuestExtent``: what `space` computes with.
///
/// A 1 TiB filesystem's free map is a few thousand extents and a converted disk's allocated ranges
/// a few more, so every operation here is a linear merge of two sorted lists — never an array per
/// block or per cluster. Inputs must be sorted and merged (``normalised(_:)`` makes them so);
/// outputs are.
public enum GuestExtents {
    /// Sorted, overlaps and touching extents merged, empty ones dropped.
    public static func normalised(_ extents: [GuestExtent]) -> [GuestExtent] {
        var out: [GuestExtent] = []
        out.reserveCapacity(extents.count)
        let sorted = extents.allSatisfy({ $0.length > 0 }) && zip(extents, extents.dropFirst()).allSatisfy { $0.end <= $1.start }
        for e in sorted ? extents : extents.sorted() where e.length > 0 {
            if let last = out.last, e.start <= last.end {
                if e.end > last.end { out[out.count - 1].length = e.end - last.start }
            } else {
                out.append(e)
            }
        }
        return out
    }

    /// Bytes covered.
    public static func total(_ extents: [GuestExtent]) -> UInt64 {
        extents.reduce(0) { $0 &+ $1.length }
    }

    /// Bytes in both.
    public static func intersection(_ a: [GuestExtent], _ b: [GuestExtent]) -> [GuestExtent] {
        var out: [GuestExtent] = []
        var i = 0, j = 0
        while i < a.count, j < b.count {
            let start = max(a[i].start, b[j].start)
            let end = min(a[i].end, b[j].end)
            if start < end { append(&out, start, end) }
            if a[i].end < b[j].end { i += 1 } else { j += 1 }
        }
        return out
    }

    /// Bytes of `a` not in `b`.
    public static func subtracting(_ a: [GuestExtent], _ b: [GuestExtent]) -> [GuestExtent] {
        var out: [GuestExtent] = []
        var j = 0
        for e in a {
            var start = e.start
            while j < b.count, b[j].end <= start { j += 1 }
            var k = j
            while k < b.count, b[k].start < e.end {
                if b[k].start > start { append(&out, start, b[k].start) }
                start = max(start, b[k].end)
                k += 1
            }
            if start < e.end { append(&out, start, e.end) }
        }
        return out
    }

    /// Each extent widened to whole `unit`s (a power of two): the allocation units it touches.
    public static func widened(_ extents: [GuestExtent], unit: UInt64) -> [GuestExtent] {
        guard unit > 1 else { return extents }
        let mask = unit - 1
        var out: [GuestExtent] = []
        for e in extents {
            let start = e.start & ~mask
            let (rounded, overflow) = e.end.addingReportingOverflow(mask)
            let end = overflow ? UInt64.max & ~mask : rounded & ~mask
            if let last = out.last, start <= last.end {
                if end > last.end { out[out.count - 1].length = end - last.start }
            } else {
                out.append(GuestExtent(start: start, length: end - start))
            }
        }
        return out
    }

    /// Whether `offset` lies in one of `extents` (binary search).
    public static func contains(_ extents: [GuestExtent], _ offset: UInt64) -> Bool {
        index(in: extents, containing: offset) != nil
    }

    /// The index of the extent holding `offset`, if any (binary search).
    public static func index(in extents: [GuestExtent], containing offset: UInt64) -> Int? {
        var low = 0, high = extents.count
        while low < high {
            let mid = (low + high) / 2
            if extents[mid].end <= offset { low = mid + 1 } else { high = mid }
        }
        return low < extents.count && extents[low].start <= offset ? low : nil
    }

    /// Bytes of `extents` inside `[start, end)` (binary search, then a walk over the overlap).
    public static func covered(_ extents: [GuestExtent], from start: UInt64, to end: UInt64) -> UInt64 {
        var low = 0, high = extents.count
        while low < high {
            let mid = (low + high) / 2
            if extents[mid].end <= start { low = mid + 1 } else { high = mid }
        }
        var bytes: UInt64 = 0
        var i = low
        while i < extents.count, extents[i].start < end {
            bytes += min(end, extents[i].end) - max(start, extents[i].start)
            i += 1
        }
        return bytes
    }

    private static func append(_ out: inout [GuestExtent], _ start: UInt64, _ end: UInt64) {
        if let last = out.last, last.end == start {
            out[out.count - 1].length += end - start
        } else {
            out.append(GuestExtent(start: start, length: end - start))
        }
    }
}
