import Analysis
import Qcow2

/// The bitmaps view's audit (`bitmaps --audit` without naming a snapshot): each bitmap audited
/// against the snapshot it best matches, when one does.
///
/// qcow2 records no time for a bitmap, so "the snapshot taken when the bitmap was created or
/// cleared" is inferred from what the bitmap marks: among the newest ``candidates`` snapshots,
/// the one whose metadata diff to `active` differs least from the bitmap's dirty ranges (missed
/// + spurious bytes, at the bitmap's granularity); on a tie, the newest (a bitmap cleared at a
/// later snapshot marks fewer changes). There is no match when nothing changed since that
/// snapshot is marked by the bitmap while it does mark something (no overlap at all: the bitmap
/// tracks another history), or when the image has no snapshots.
public struct BitmapAuditMatch: Sendable {
    /// The snapshot (table index) the bitmap was audited against.
    public let snapshot: Int
    public let audit: BitmapAudit

    /// Snapshots tried, newest first: each costs a metadata diff.
    static let candidates = 8

    /// Each decoded bitmap's match (nil: no matching snapshot), in directory order (slow: a
    /// metadata diff per candidate snapshot; the L2 tables a snapshot shares with the active
    /// layer are skipped unread).
    static func matchAll(_ bitmaps: [DecodedBitmap], data: ExplorerData) -> [BitmapAuditMatch?] {
        let snapshots = data.info.snapshots
        guard !bitmaps.isEmpty, !snapshots.isEmpty, let active = try? DiffState.active(data.chain) else {
            return bitmaps.map { _ in nil }
        }
        var diffs: [(Int, MetadataDiff)] = []
        for i in snapshots.indices.reversed().prefix(candidates) {
            guard let from = try? DiffState.snapshot(snapshots[i], of: data.chain, label: snapshots[i].id.string),
                  let diff = try? MetadataDiff.compute(from: from, to: active) else { continue }
            diffs.append((i, diff))
        }
        return bitmaps.map { match($0.bitmap, diffs) }
    }

    /// The best match of `bitmap` among `diffs` (newest first), or nil.
    static func match(_ bitmap: BitmapExtents, _ diffs: [(Int, MetadataDiff)]) -> BitmapAuditMatch? {
        var best: BitmapAuditMatch?
        var bestCost = UInt64.max
        for (i, diff) in diffs {
            let audit = BitmapAudit(bitmap: bitmap, diff: diff)
            guard audit.verdict != .unreadable else { return nil }
            // Overlap: changed bytes the bitmap does mark.
            let marked = audit.changedBytes &- audit.missedBytes
            guard marked > 0 || bitmap.dirtyBytes == 0 else { continue }
            let cost = audit.missedBytes &+ audit.spuriousBytes
            if cost < bestCost {
                best = BitmapAuditMatch(snapshot: i, audit: audit)
                bestCost = cost
            }
        }
        return best
    }
}
