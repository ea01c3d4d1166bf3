import Analysis
import Qcow2

/// One side of a diff the snapshots view opens: an internal snapshot (its table index) or the
/// current state of the disk.
public enum DiffSide: Sendable, Hashable {
    case snapshot(Int)
    case current
}

/// The two states `d` / `D` compare, the older (A) first: the heatmap shows what B changed.
public struct DiffPair: Sendable, Hashable {
    public var from: DiffSide
    public var to: DiffSide

    public init(from: DiffSide, to: DiffSide) {
        self.from = from
        self.to = to
    }
}

/// A metadata diff (or, after `c`, a content diff) between two states of the explored image,
/// with the two states (for the cursor panel's host lookups) and per-kind prefix sums of the
/// extents' bytes, so a heatmap cell's counts cost two binary searches whatever the number of
/// extents (a random-write image has millions). Built off the UI thread
/// (``ExplorerWork/diff(_:)``) and kept for the session in ``ExplorerData/diffs``.
public struct SnapshotDiff: Sendable {
    public typealias Entry = Result<SnapshotDiff, SnapshotGuestMapError>

    public let pair: DiffPair
    public let diff: MetadataDiff
    public let from: DiffState
    public let to: DiffState
    /// `prefix[i * kinds + k]`: bytes of change kind `k` in `extents[0..<i]`.
    let prefix: [UInt64]
    static let kinds = DiffChange.allCases.count

    init(pair: DiffPair, diff: MetadataDiff, from: DiffState, to: DiffState) {
        self.pair = pair
        self.diff = diff
        self.from = from
        self.to = to
        var sums = [UInt64](repeating: 0, count: (diff.extents.count + 1) * Self.kinds)
        for (i, e) in diff.extents.enumerated() {
            for k in 0..<Self.kinds { sums[(i + 1) * Self.kinds + k] = sums[i * Self.kinds + k] }
            sums[(i + 1) * Self.kinds + e.change.index] &+= e.length
        }
        prefix = sums
    }

    public var extents: [DiffExtent] { diff.extents }

    /// The diff of `pair` over `data`'s chain (slow: reads the L2 tables the two states do not share).
    static func build(_ pair: DiffPair, data: ExplorerData) -> Entry {
        do throws(FormatError) {
            let a = try state(pair.from, data), b = try state(pair.to, data)
            return .success(SnapshotDiff(pair: pair, diff: try MetadataDiff.compute(from: a, to: b), from: a, to: b))
        } catch {
            return .failure(SnapshotGuestMapError(message: error.description))
        }
    }

    /// `--content` over this diff; nil when `progress` stopped it (Esc, `c` again).
    func comparingContent(_ progress: ContentDiffProgress) -> Entry? {
        progress.begin(total: diff.changedBytes)
        do throws(FormatError) {
            let compared = try diff.comparingContent(from: from, to: to) { done in progress.report(done) }
            guard !progress.isStopped else { return nil }
            return .success(SnapshotDiff(pair: pair, diff: compared, from: from, to: to))
        } catch {
            return .failure(SnapshotGuestMapError(message: error.description))
        }
    }

    static func state(_ side: DiffSide, _ data: ExplorerData) throws(FormatError) -> DiffState {
        switch side {
        case .current:
            return try DiffState.active(data.chain)
        case .snapshot(let i):
            guard i >= 0, i < data.info.snapshots.count else {
                throw FormatError(.snapshotTable, at: 0, "there is no snapshot \(i)")
            }
            let s = data.info.snapshots[i]
            return try DiffState.snapshot(s, of: data.chain, label: s.id.string)
        }
    }

    /// Bytes of each change kind in guest `range` (two binary searches and the prefix sums).
    public func counts(in range: Range<UInt64>) -> DiffCounts {
        let extents = diff.extents
        var out = DiffCounts(total: UInt64(range.count))
        let i = firstExtent(endingAfter: range.lowerBound)
        // Extents are sorted and disjoint: those starting before the range's end follow i.
        var lo = i, hi = extents.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if extents[mid].start < range.upperBound { lo = mid + 1 } else { hi = mid }
        }
        let j = lo
        guard i < j else { return out }
        for k in 0..<Self.kinds { out.bytes[k] = prefix[j * Self.kinds + k] &- prefix[i * Self.kinds + k] }
        // Clip the first and last extents to the range.
        let first = extents[i], last = extents[j - 1]
        if first.start < range.lowerBound { out.bytes[first.change.index] &-= range.lowerBound - first.start }
        if last.end > range.upperBound { out.bytes[last.change.index] &-= last.end - range.upperBound }
        return out
    }

    /// The index of the first extent whose end is past `offset` (extents.count if none).
    public func firstExtent(endingAfter offset: UInt64) -> Int {
        var lo = 0, hi = diff.extents.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if diff.extents[mid].end <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

extension DiffChange {
    /// Position in ``allCases`` (the prefix sums' column).
    var index: Int {
        switch self {
        case .data: 0
        case .zero: 1
        case .unallocated: 2
        case .rewrittenSame: 3
        }
    }
}

/// What a range of the diff heatmap holds: bytes by change kind and in all.
public struct DiffCounts: Sendable, Hashable {
    /// By ``DiffChange/allCases`` order.
    public var bytes: [UInt64] = [0, 0, 0, 0]
    public var total: UInt64

    public subscript(_ kind: DiffChange) -> UInt64 { bytes[kind.index] }

    public var changed: UInt64 { bytes.reduce(0, &+) }
    public var unchanged: UInt64 { total > changed ? total - changed : 0 }

    /// The kind a cell is drawn as: the change with the most bytes (any change shows, however
    /// small: density tells how much), nil when nothing changed.
    public var shown: DiffChange? {
        var best: DiffChange?
        var most: UInt64 = 0
        for kind in DiffChange.allCases where self[kind] > most {
            best = kind
            most = self[kind]
        }
        return best
    }

    /// The changed share of the range (the data glyph's density).
    public var fill: Double { total == 0 ? 0 : Double(changed) / Double(total) }
}
