import Formatting
import Analysis
import Qcow2
import Reports
import TerminalUI

/// View 6: the persistent dirty bitmaps (spec, "Bitmaps"): name, flags, granularity, dirty bytes
/// and share of the disk with a bar, type and table; bitmaps QEMU would refuse (in use after a
/// crash, damaged) are flagged in the warning colour; with snapshots, the audit's verdict against
/// the one each bitmap best matches (BitmapsView+Audit.swift). Enter lists a bitmap's dirty extents.
public enum BitmapsView: ExplorerScreen {
    static func regions(_ body: Rect) -> (title: Rect, table: Rect, details: Rect) {
        let (title, rest) = body.splitTop(1)
        let (table, details) = rest.splitBottom(rest.height >= 12 ? 5 : 0)
        return (title, table, details.inset(top: 1, left: 1))
    }

    /// The dirty counts need every bitmap decoded, done in the background on first visit.
    public static func work(_ state: AppState, _ data: ExplorerData) -> [ExplorerWork] { [.bitmaps] }

    public static func draw(_ state: AppState, _ data: ExplorerData, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect) {
        let model = BitmapsViewModel(data: data)
        let (titleRect, tableRect, detailRect) = regions(body)
        if data.bitmaps == nil, data.image.bitmapsExtension != nil {
            let n = data.info.bitmaps.count
            screen.put("\(n) persistent bitmap\(n == 1 ? "" : "s") in the directory", in: titleRect, style: theme.title)
            WorkNotice("Decoding the bitmaps' dirty extents (their tables and data clusters)", .bitmaps, data,
                       then: "The list appears here when they are decoded.", theme: theme).draw(into: &screen, in: tableRect)
            return
        }
        let total = model.rows.reduce(UInt64(0)) { $0 &+ $1.dirtyBytes }
        let inUse = model.rows.filter(\.isInUse).count
        screen.put("\(model.rows.count) persistent bitmap\(model.rows.count == 1 ? "" : "s") · \(Formatted.humanSize(total)) dirty in all"
                   + (inUse > 0 ? " · \(inUse) in use (not saved cleanly)" : ""), in: titleRect, style: theme.title)
        guard !model.rows.isEmpty else {
            let text = data.image.bitmapsExtension == nil ? "This image has no bitmaps extension: no persistent dirty bitmaps."
                : "The bitmap directory holds no usable entries (see the Check view)."
            screen.draw(Paragraph(text, style: theme.label), in: tableRect.inset(top: 1, left: 2, right: 2))
            return
        }
        let selection = min(state.screen.list.selection, model.rows.count - 1)
        // Names first (up to 32 columns); the bar and the type give way on a narrow screen.
        // With snapshots to audit against, the audit's verdict takes the type's place (the
        // details still say the type).
        let audits = !data.info.snapshots.isEmpty
        let nameWidth = min(32, max(4, model.rows.map { TerminalText.width($0.name) }.max() ?? 12))
        let table = Table(
            columns: [TableColumn("Name", width: .flexible(minimum: nameWidth, weight: 1)), TableColumn("Flags", width: .fixed(13)),
                      TableColumn("Granularity", width: .fixed(11), alignment: .right),
                      TableColumn("Dirty", width: .fixed(10), alignment: .right),
                      TableColumn("% disk", width: .fixed(7), alignment: .right),
                      TableColumn("of disk", width: .flexible(minimum: 0, weight: 2)),
                      audits ? TableColumn("Audit", width: .flexible(minimum: tableRect.width >= 96 ? 14 : 0, weight: 1))
                        : TableColumn("Type", width: .flexible(minimum: tableRect.width >= 96 ? 14 : 0, weight: 1)),
                      TableColumn("Table", width: .fixed(10), alignment: .right)],
            rows: model.rows.map { row($0, theme: theme, audit: audits ? auditCell($0.index, data, theme: theme) : nil) }, selection: selection, scrollOffset: state.screen.list.scroll,
            selectionStyle: theme.selection, glyphs: theme.glyphs)
        screen.draw(table, in: tableRect)
        drawBars(model, table: table, in: tableRect, theme: theme, into: &screen)
        drawDetails(model.rows[selection], audit: auditLine(model.rows[selection].index, data, theme: theme), in: detailRect, theme: theme,
                    into: &screen)
    }

    static func row(_ r: BitmapsViewModel.Row, theme: Theme, audit: TableCell? = nil) -> TableRow {
        TableRow([TableCell(r.name, style: r.problem == nil ? theme.value : theme.warning),
                  TableCell(r.flags, style: r.isInUse ? theme.warning : theme.label),
                  TableCell(r.granularity.map(Formatted.humanSize) ?? "invalid"),
                  TableCell(Formatted.humanSize(r.dirtyBytes), style: theme.title),
                  TableCell(BitmapsViewModel.percent(r.fraction)), TableCell(""),
                  audit ?? TableCell(r.type, style: theme.label), TableCell(hex(r.tableOffset), style: theme.label)])
    }

    /// The bars, drawn over the empty sixth column.
    static func drawBars(_ model: BitmapsViewModel, table: Table, in rect: Rect, theme: Theme, into screen: inout TerminalUI.Screen) {
        let visible = table.rowsVisible(in: rect)
        let offset = table.visibleOffset(rowsVisible: visible)
        let area = rect.splitRight(ScrollBar.isNeeded(totalRows: model.rows.count, visibleRows: visible) ? 1 : 0).rest
        let widths = table.columnWidths(totalWidth: area.width)
        guard widths.count == 8, widths[5] > 0 else { return }
        let x = area.x + widths[0..<5].reduce(0, +) + 5 * table.columnGap
        // Scaled to the disk, as the "% disk" beside it: a full bar is a fully dirty disk.
        for (line, index) in (offset..<min(model.rows.count, offset + visible)).enumerated() {
            let fraction = model.rows[index].fraction
            let bar = HorizontalBar(fraction: fraction, style: theme.bar, glyphs: theme.glyphs)
            screen.draw(bar, in: Rect(x: x, y: area.y + 1 + line, width: widths[5], height: 1))
        }
    }

    static func drawDetails(_ r: BitmapsViewModel.Row, audit: (String, String, Style)?, in rect: Rect, theme: Theme,
                            into screen: inout TerminalUI.Screen) {
        guard !rect.isEmpty else { return }
        screen.fill(Rect(x: rect.x - 1, y: rect.y - 1, width: rect.width + 1, height: 1), with: Cell(theme.glyphs.horizontal, style: theme.label))
        var lines: [(String, String, Style)] = [
            ("dirty", "\(r.dirtyBytes) bytes in \(r.extentCount) extent\(r.extentCount == 1 ? "" : "s")", theme.value),
            ("table", "\(hex(r.tableOffset)), \(r.tableSize) entr\(r.tableSize == 1 ? "y" : "ies") · \(r.type)", theme.value),
        ]
        lines.append(("status", r.problem ?? "consistent: QEMU would load it", r.problem == nil ? theme.good : theme.warning))
        if let audit { lines.append(audit) }
        screen.draw(FieldList(lines.map { FieldList.Row($0.0, $0.1, $0.2) }, labelWidth: 9, labelStyle: theme.label), in: rect)
    }

    public static func handle(_ event: InputEvent, _ state: inout AppState, _ data: ExplorerData, body: Rect) -> Bool {
        let count = BitmapsViewModel(data: data).rows.count
        let tableRect = regions(body).table
        let page = max(1, tableRect.height - 1)
        switch event {
        case .enter:
            guard count > 0 else { return true }
            state.push(.bitmapExtents(min(state.screen.list.selection, count - 1)))
            return true
        default:
            return state.screen.list.handleTableEvent(event, table: tableRect, count: count, page: page)
        }
    }

    public static func position(_ state: AppState, _ data: ExplorerData) -> String {
        let model = BitmapsViewModel(data: data)
        guard !model.rows.isEmpty else { return "bitmaps · none" }
        let r = model.rows[min(state.screen.list.selection, model.rows.count - 1)]
        return "bitmap \(r.index + 1)/\(model.rows.count) · \(r.name) · \(Formatted.humanSize(r.dirtyBytes)) dirty"
    }

    public static var hints: [KeyHint] {
        [KeyHint("Enter", "dirty extents"), KeyHint("↑↓", "select"), KeyHint("mouse", "click selects, wheel scrolls")]
    }
}
