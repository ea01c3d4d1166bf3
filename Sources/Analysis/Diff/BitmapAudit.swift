import Qcow2

/// `bitmaps --audit SNAPSHOT`: does a dirty bitmap created (or cleared) when a snapshot was taken
/// mark every change made since? Its dirty extents are compared with the metadata diff from the
/// snapshot to the active layer, widened to the bitmap's granularity (a bit covers a whole
/// granule, so a change anywhere in it needs the bit set).
///
/// - missed: changed granules the bitmap does not mark — an incremental backup made from it would
///   lose these bytes;
/// - spurious: dirty granules with no change — harmless, wasted backup I/O.
///
/// Verdicts, worst first: `unreadable` (the bitmap could not be decoded), `missed-changes`,
/// `inconsistent` (nothing missed, but QEMU refuses the bitmap: in-use flag set or damaged, so a
/// backup cannot use it), `complete` (every change is marked; spurious bytes allowed).
public struct BitmapAudit: Sendable {
    public enum Verdict: String, Sendable, CaseIterable {
        case complete
        case missedChanges = "missed-changes"
        case inconsistent
        case unreadable
    }

    public let name: RawString
    public let granularity: UInt64
    public let missedExtents: [DirtyExtent]
    public let missedBytes: UInt64
    public let spuriousExtents: [DirtyExtent]
    public let spuriousBytes: UInt64
    public let dirtyBytes: UInt64
    /// Changed bytes of the diff, widened to the granularity.
    public let changedBytes: UInt64
    public let verdict: Verdict

    /// Audits `bitmap` against `diff` (from the snapshot to `active`).
    public init(bitmap: BitmapExtents, diff: MetadataDiff) {
        name = bitmap.name
        let granularity = bitmap.entry.granularity ?? 0
        self.granularity = granularity
        let changed = Self.widen(diff.extents, granularity: granularity, size: bitmap.virtualSize)
        let dirty = bitmap.extents.map { $0.start..<$0.end }
        let missed = subtract(changed, dirty)
        let spurious = subtract(dirty, changed)
        missedExtents = missed.map { DirtyExtent(start: $0.lowerBound, length: UInt64($0.count)) }
        spuriousExtents = spurious.map { DirtyExtent(start: $0.lowerBound, length: UInt64($0.count)) }
        missedBytes = missed.reduce(0) { $0 &+ UInt64($1.count) }
        spuriousBytes = spurious.reduce(0) { $0 &+ UInt64($1.count) }
        dirtyBytes = bitmap.dirtyBytes
        changedBytes = changed.reduce(0) { $0 &+ UInt64($1.count) }
        verdict = !bitmap.isDecoded || granularity == 0 ? .unreadable
            : missedBytes > 0 ? .missedChanges
            : !bitmap.isConsistent ? .inconsistent : .complete
    }

    /// Extents rounded out to whole granules (clipped to `size`), merged.
    static func widen(_ extents: [DiffExtent], granularity: UInt64, size: UInt64) -> [Range<UInt64>] {
        guard granularity > 0, granularity & (granularity - 1) == 0 else { return extents.map { $0.start..<$0.end } }
        var out: [Range<UInt64>] = []
        for e in extents {
            let lo = e.start & ~(granularity - 1)
            let (rounded, overflow) = e.end.addingReportingOverflow(granularity - 1)
            let hi = min(size, overflow ? size : rounded & ~(granularity - 1))
            guard lo < hi else { continue }
            if let last = out.last, last.upperBound >= lo {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, hi)
            } else {
                out.append(lo..<hi)
            }
        }
        return out
    }
}

/// The parts of sorted disjoint ranges `a` not covered by sorted disjoint ranges `b`.
func subtract(_ a: [Range<UInt64>], _ b: [Range<UInt64>]) -> [Range<UInt64>] {
    var out: [Range<UInt64>] = []
    var j = 0
    for r in a {
        var lo = r.lowerBound
        while j < b.count && b[j].upperBound <= lo { j += 1 }
        var k = j
        while lo < r.upperBound {
            guard k < b.count, b[k].lowerBound < r.upperBound else {
                out.append(lo..<r.upperBound)
                break
            }
            if b[k].lowerBound > lo { out.append(lo..<b[k].lowerBound) }
            lo = max(lo, b[k].upperBound)
            k += 1
        }
    }
    return out
}
