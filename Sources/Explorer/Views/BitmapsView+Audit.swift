import Formatting
import Analysis
import Qcow2
import TerminalUI

/// The bitmaps view's audit: beside each bitmap the verdict of ``BitmapAudit`` against the
/// snapshot it best matches (``BitmapAuditMatch``, computed beside the view), and in the details
/// what it missed and what it marks for nothing; the extents drill-down draws the missed ranges
/// over its coverage strip.
extension BitmapsView {
    public static func sideWork(_ state: AppState, _ data: ExplorerData) -> [ExplorerWork] {
        data.info.snapshots.isEmpty ? [] : [.bitmapAudit]
    }

    /// Bitmap `index`'s match, nil while computed or when none matches.
    static func match(_ index: Int, _ data: ExplorerData) -> BitmapAuditMatch? {
        guard let audits = data.bitmapAudits, index >= 0, index < audits.count else { return nil }
        return audits[index]
    }

    static func verdictStyle(_ verdict: BitmapAudit.Verdict, theme: Theme) -> Style {
        switch verdict {
        case .complete: theme.good
        case .missedChanges: theme.error
        case .inconsistent, .unreadable: theme.warning
        }
    }

    /// The Audit column: the verdict, `…` while computed, blank without snapshots or a match.
    static func auditCell(_ index: Int, _ data: ExplorerData, theme: Theme) -> TableCell {
        guard !data.info.snapshots.isEmpty else { return TableCell("") }
        guard data.bitmapAudits != nil else { return TableCell(String(theme.glyphs.ellipsis), style: theme.label) }
        guard let m = match(index, data) else { return TableCell("no match", style: theme.label) }
        return TableCell(m.audit.verdict.rawValue, style: verdictStyle(m.audit.verdict, theme: theme))
    }

    /// The details' audit line: against which snapshot, missed and spurious bytes.
    static func auditLine(_ index: Int, _ data: ExplorerData, theme: Theme) -> (String, String, Style)? {
        guard let m = match(index, data), m.snapshot < data.info.snapshots.count else { return nil }
        let s = data.info.snapshots[m.snapshot]
        let a = m.audit
        let missed = a.missedBytes == 0 ? "nothing missed" : "\(Formatted.humanSize(a.missedBytes)) missed in \(a.missedExtents.count) extents"
        return ("audit", "\(a.verdict.rawValue) since \(s.id.escaped) \"\(s.name.escaped)\": \(missed), "
                + "\(Formatted.humanSize(a.spuriousBytes)) spurious", verdictStyle(a.verdict, theme: theme))
    }
}

extension BitmapExtentsView {
    /// The missed ranges over the coverage strip: `!` in the error colour on every bucket that
    /// holds a change the bitmap does not mark.
    static func drawMissed(_ d: DecodedBitmap, _ match: BitmapAuditMatch?, in strip: Rect, theme: Theme, into screen: inout TerminalUI.Screen) {
        guard let missed = match?.audit.missedExtents, !missed.isEmpty, strip.width > 0 else { return }
        var marked = Set<Int>()
        for e in missed {
            guard let first = d.coverage.bucketIndex(of: e.start, buckets: strip.width),
                  let last = d.coverage.bucketIndex(of: min(e.end, d.bitmap.virtualSize) &- 1, buckets: strip.width), first <= last else { continue }
            for b in first...last where marked.insert(b).inserted {
                screen.set(Cell("!", style: Style(foreground: theme.error.foreground, background: .indexed(236), attributes: .bold)),
                           at: Point(x: strip.x + b, y: strip.y))
            }
            if marked.count >= strip.width { break }
        }
    }
}
