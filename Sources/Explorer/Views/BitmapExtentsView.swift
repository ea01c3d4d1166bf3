import Formatting
import Analysis
import Qcow2
import Reports
import TerminalUI

/// Drill from the bitmaps view: one bitmap's dirty extents as a scrollable list (start, length,
/// end, with human sizes) under a coverage strip of the whole virtual disk — one cell per
/// bucket, as dense as the bucket is dirty — with a mark under the selected extent.
public enum BitmapExtentsView: ExplorerScreen {
    public static var positions: OffsetExpression.Space? { .guest }

    static func decoded(_ state: AppState, _ data: ExplorerData) -> DecodedBitmap? {
        guard case .drill(.bitmapExtents(let i)) = state.front, let all = data.bitmaps else { return nil }
        return i >= 0 && i < all.count ? all[i] : nil
    }

    /// Usually done already: the bitmaps view this drill opens from asked for it.
    public static func work(_ state: AppState, _ data: ExplorerData) -> [ExplorerWork] { [.bitmaps] }

    /// The audit's missed ranges, drawn over the strip when they are there.
    public static func sideWork(_ state: AppState, _ data: ExplorerData) -> [ExplorerWork] { BitmapsView.sideWork(state, data) }

    static func regions(_ body: Rect) -> (title: Rect, strip: Rect, axis: Rect, table: Rect) {
        let (title, r1) = body.splitTop(1)
        let (strip, r2) = r1.splitTop(1)
        let (axis, r3) = r2.splitTop(1)
        return (title, strip.inset(left: 10), axis.inset(left: 10), r3.inset(top: 1))
    }

    public static func draw(_ state: AppState, _ data: ExplorerData, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect) {
        guard data.bitmaps != nil else {
            WorkNotice("Decoding the bitmap's dirty extents", .bitmaps, data, then: "They appear here when decoded.", theme: theme)
                .draw(into: &screen, in: body)
            return
        }
        guard let d = decoded(state, data) else {
            screen.draw(Paragraph("This bitmap is no longer in the directory. Esc goes back.", style: theme.error), in: body.inset(top: 1, left: 2))
            return
        }
        let b = d.bitmap
        let size = Formatted.humanSize
        let (titleRect, strip, axis, tableRect) = regions(body)
        let share = BitmapsViewModel.percent(b.virtualSize == 0 ? 0 : Double(b.dirtyBytes) / Double(b.virtualSize))
        let title = "Bitmap \"\(b.name.escaped)\" · \(size(b.dirtyBytes)) dirty (\(b.dirtyBytes) bytes) in \(Formatted.count(b.extents.count, "extent"))"
            + " · \(share) of \(size(b.virtualSize)) · granularity \(b.entry.granularity.map(size) ?? "invalid")"
        screen.put(title, in: titleRect, style: theme.title)
        if let refusal = b.refusal {
            screen.put("! " + refusal.terminalSafe, in: Rect(x: tableRect.x, y: tableRect.y - 1, width: tableRect.width, height: 1),
                       style: theme.warning)
        } else if case .drill(.bitmapExtents(let i)) = state.front, let line = BitmapsView.auditLine(i, data, theme: theme) {
            let mark = BitmapsView.match(i, data)?.audit.missedBytes ?? 0 > 0 ? "(! on the strip) " : ""
            screen.put("audit \(mark)\(line.1)", in: Rect(x: tableRect.x, y: tableRect.y - 1, width: tableRect.width, height: 1),
                       style: line.2)
        }
        screen.put("coverage", at: Point(x: body.x, y: strip.y), style: theme.label)
        let fractions = d.coverage.strip(buckets: strip.width)
        // Dirty is orange on a dark track, so the disk's extent shows where nothing is dirty.
        let cells = fractions.map { HeatmapCell(style: Style(foreground: theme.warning.foreground, background: .indexed(236)), level: $0) }
        screen.draw(HeatmapGrid(gridSize: Size(width: strip.width, height: 1), cells: cells, glyphs: theme.glyphs), in: strip)
        if case .drill(.bitmapExtents(let i)) = state.front { drawMissed(d, BitmapsView.match(i, data), in: strip, theme: theme, into: &screen) }
        drawAxis(d, selection: state.screen.list.selection, in: axis, theme: theme, into: &screen)

        let selection = min(state.screen.list.selection, max(0, b.extents.count - 1))
        let visible = max(0, tableRect.height - 1)
        let offset = Table.scrollOffset(keeping: selection, previous: state.screen.list.scroll, visibleRows: visible,
                                        totalRows: b.extents.count)
        let scrolls = ScrollBar.isNeeded(totalRows: b.extents.count, visibleRows: visible)
        let (listRect, barRect) = tableRect.splitRight(scrolls ? 1 : 0)
        // Only the visible page is formatted: a bitmap of a big disk can have millions of extents.
        let page = offset..<min(b.extents.count, offset + visible)
        let table = Table(
            columns: [TableColumn("#", width: .fixed(7), alignment: .right),
                      TableColumn("Start", width: .fixed(14), alignment: .right), TableColumn("", width: .fixed(10), alignment: .right),
                      TableColumn("Length", width: .fixed(14), alignment: .right), TableColumn("", width: .fixed(10), alignment: .right),
                      TableColumn("End", width: .fixed(14), alignment: .right), TableColumn("", width: .flexible(minimum: 0, weight: 1))],
            rows: page.map { row($0, b.extents[$0], theme: theme) },
            selection: b.extents.isEmpty ? nil : selection - offset, selectionStyle: theme.selection, glyphs: theme.glyphs)
        screen.draw(table, in: listRect)
        if scrolls {
            screen.draw(ScrollBar(totalRows: b.extents.count, visibleRows: visible, offset: offset, glyphs: theme.glyphs),
                        in: Rect(x: barRect.x, y: barRect.y + 1, width: 1, height: visible))
        }
        if b.extents.isEmpty {
            screen.put("No dirty extents: nothing was written since this bitmap was created or cleared.",
                       in: listRect.row(1), style: theme.label)
        }
    }

    static func row(_ i: Int, _ e: DirtyExtent, theme: Theme) -> TableRow {
        let size = Formatted.humanSize
        return TableRow([TableCell("\(i + 1)", style: theme.label), TableCell(hex(e.start)), TableCell(size(e.start), style: theme.label),
                         TableCell(hex(e.length)), TableCell(size(e.length), style: theme.title), TableCell(hex(e.end)), TableCell("")])
    }

    /// "0" at the left, the disk size at the right, and a caret under the selected extent.
    static func drawAxis(_ d: DecodedBitmap, selection: Int, in rect: Rect, theme: Theme, into screen: inout TerminalUI.Screen) {
        guard rect.width > 0 else { return }
        let end = Formatted.humanSize(d.bitmap.virtualSize)
        screen.put(end, in: rect, style: theme.label, alignment: .right)
        screen.put("0", at: rect.origin, style: theme.label)
        let extents = d.bitmap.extents
        guard selection >= 0, selection < extents.count,
              let i = d.coverage.bucketIndex(of: extents[selection].start, buckets: rect.width) else { return }
        screen.put(String(theme.glyphs.arrowUp), at: Point(x: rect.x + i, y: rect.y), style: theme.accent)
    }

    public static func handle(_ event: InputEvent, _ state: inout AppState, _ data: ExplorerData, body: Rect) -> Bool {
        guard let d = decoded(state, data) else { return false }
        let count = d.bitmap.extents.count
        let table = regions(body).table
        let page = max(1, table.height - 1)
        switch event {
        case .mouse(let m) where m.kind == .press && regions(body).strip.contains(m.point):
            // A click on the strip selects the first extent at or after that bucket.
            let strip = regions(body).strip
            let start = d.coverage.bucket(m.x - strip.x, of: strip.width).lowerBound
            state.screen.list.selection = firstExtent(atOrAfter: start, d.bitmap.extents) ?? max(0, count - 1)
            state.screen.list.keepSelectionVisible(visibleRows: page, count: count)
            return true
        default:
            return state.screen.list.handleTableEvent(event, table: table, count: count, page: page)
        }
    }

    /// Index of the first extent ending after `offset` (binary search).
    static func firstExtent(atOrAfter offset: UInt64, _ extents: [DirtyExtent]) -> Int? {
        var low = 0
        var high = extents.count
        while low < high {
            let mid = (low + high) / 2
            if extents[mid].end <= offset { low = mid + 1 } else { high = mid }
        }
        return low < extents.count ? low : nil
    }

    public static func position(_ state: AppState, _ data: ExplorerData) -> String {
        guard let d = decoded(state, data) else { return "bitmap extents" }
        let n = d.bitmap.extents.count
        guard n > 0 else { return "bitmap \(d.bitmap.name.escaped) · clean: no dirty extents" }
        let e = d.bitmap.extents[min(state.screen.list.selection, n - 1)]
        return "bitmap \(d.bitmap.name.escaped) · extent \(min(state.screen.list.selection, n - 1) + 1)/\(n) · guest \(hex(e.start)) +\(Formatted.humanSize(e.length))"
    }

    public static var hints: [KeyHint] {
        [KeyHint("Esc", "back to bitmaps"), KeyHint("↑↓", "select extent"), KeyHint("g", "go to a guest offset"),
         KeyHint("mouse", "click the strip jumps there")]
    }

    public static func goTo(_ target: OffsetExpression, _ state: inout AppState, _ data: ExplorerData) -> String? {
        guard target.space != .host else { return "bitmaps cover the virtual disk: use a guest offset" }
        guard let d = decoded(state, data) else { return data.bitmaps == nil ? "the extents are not decoded yet" : "no bitmap" }
        guard let i = firstExtent(atOrAfter: target.offset, d.bitmap.extents) else {
            return "nothing is dirty at or after \(hex(target.offset))"
        }
        state.screen.list.selection = i
        return nil
    }
}
