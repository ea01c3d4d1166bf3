import Qcow2
import Formatting
import Analysis
import Reports
import TerminalUI

/// View 8: the guest's partitions and volumes — "why is my qcow2 bigger than my data". One row
/// per volume (table, partition, filesystem, label, size, used, free, allocated in this file,
/// reclaimable) with a bar of what the filesystem uses, what is free but still allocated in the
/// file (reclaimable) and what is free and unallocated; under it the selected volume's
/// filesystem (label, UUID, block size), its free space by extent size, and the findings. Enter
/// shows the volume in the guest map with the volume layer on.
///
/// The data is read in the background after the scan (``ExplorerWork/volumes``, standing work
/// of this view: the header shows its headline whatever view is in front).
public enum VolumesView: ExplorerScreen {
    static func regions(_ body: Rect, rows: Int) -> (title: Rect, table: Rect, legend: Rect, details: Rect) {
        let (title, rest) = body.splitTop(1)
        let tableHeight = min(rows + 1, max(4, rest.height / 3))
        let (table, below) = rest.splitTop(tableHeight)
        let (legend, details) = below.splitTop(1)
        return (title, table, legend, details.inset(top: 1, left: 1))
    }

    public static func work(_ state: AppState, _ data: ExplorerData) -> [ExplorerWork] { backgroundWork(data) }

    /// Read as soon as the scan has finished, whatever view is in front.
    public static func backgroundWork(_ data: ExplorerData) -> [ExplorerWork] { data.analysis == nil ? [] : [.volumes] }

    public static func draw(_ state: AppState, _ data: ExplorerData, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect) {
        let model = VolumesViewModel(data: data)
        let r = regions(body, rows: model.rows.count)
        screen.put("Volumes · " + VolumesViewModel.headline(data, ellipsis: theme.glyphs.ellipsis), in: r.title, style: theme.title)
        let notice = body.inset(top: 1)
        switch model.status {
        case .waitingForScan(let failed):
            let text = failed ? "The scan failed, so the guest's filesystems are not read (they are matched with its clusters)."
                : "The guest's partitions and filesystems are read when the scan has finished (\(Int(data.progress * 100))%)."
            screen.draw(Paragraph(text, style: theme.label), in: notice.inset(top: 1, left: 2, right: 2))
            return
        case .reading(let phase, let bytes):
            WorkNotice("Reading the guest's partition tables and filesystems: \(phase), \(Formatted.humanSize(bytes)) read",
                       .volumes, data, then: "The volumes appear here when they are read; every other view works meanwhile.",
                       theme: theme).draw(into: &screen, in: notice)
            return
        case .failed(let message):
            screen.draw(Paragraph("The guest disk could not be read: \(message)", style: theme.error),
                        in: notice.inset(top: 1, left: 2, right: 2))
            return
        case .ready(let usage):
            guard !model.rows.isEmpty else {
                screen.draw(Paragraph("The guest disk holds no volume.", style: theme.label), in: notice.inset(top: 1, left: 2, right: 2))
                return
            }
            let selection = min(state.screen.list.selection, model.rows.count - 1)
            let table = self.table(model, selection: selection, scroll: state.screen.list.scroll, theme: theme)
            screen.draw(table, in: r.table)
            drawBars(model, table: table, in: r.table, theme: theme, into: &screen)
            drawLegend(in: r.legend, theme: theme, into: &screen)
            VolumeDetails(usage: usage, index: model.rows[selection].index, theme: theme).draw(into: &screen, in: r.details)
        }
    }

    static let columns: [TableColumn] = [
        TableColumn("Table", width: .fixed(5)), TableColumn("Part", width: .fixed(5)),
        TableColumn("Filesystem", width: .fixed(12)), TableColumn("Label", width: .flexible(minimum: 6, weight: 1)),
        TableColumn("Size", width: .fixed(9), alignment: .right), TableColumn("Used", width: .fixed(9), alignment: .right),
        TableColumn("Free", width: .fixed(9), alignment: .right), TableColumn("In file", width: .fixed(9), alignment: .right),
        TableColumn("Reclaimable", width: .fixed(12), alignment: .right), TableColumn("", width: .flexible(minimum: 8, weight: 2)),
    ]

    static func table(_ model: VolumesViewModel, selection: Int, scroll: Int, theme: Theme) -> Table {
        let size = Formatted.humanSize
        let rows = model.rows.map { r in
            TableRow([TableCell(r.table, style: theme.label), TableCell(r.partition),
                      TableCell(r.filesystem + (r.isStale ? " (stale?)" : ""), style: r.isStale ? theme.warning : theme.value),
                      TableCell(r.label), TableCell(size(r.size)),
                      TableCell(r.used.map(size) ?? "-"), TableCell(r.free.map(size) ?? "-"), TableCell(size(r.inFile)),
                      TableCell(r.reclaimable.map(size) ?? "not analysed",
                                style: r.reclaimable == nil ? theme.label : (r.reclaimable ?? 0) > 0 ? theme.style(GuestLayerKind.freeAllocated) : theme.value),
                      TableCell("")])
        }
        return Table(columns: columns, rows: rows, selection: selection, scrollOffset: scroll,
                     selectionStyle: theme.selection, glyphs: theme.glyphs)
    }

    /// Each volume's bar, over the table's empty last column: used, reclaimable, free and
    /// unallocated (not analysed: what the file holds of it).
    static func drawBars(_ model: VolumesViewModel, table: Table, in rect: Rect, theme: Theme, into screen: inout TerminalUI.Screen) {
        let visible = table.rowsVisible(in: rect)
        let offset = table.visibleOffset(rowsVisible: visible)
        let area = rect.splitRight(ScrollBar.isNeeded(totalRows: model.rows.count, visibleRows: visible) ? 1 : 0).rest
        let widths = table.columnWidths(totalWidth: area.width)
        guard widths.count == columns.count, let width = widths.last, width > 0 else { return }
        let x = area.x + widths.dropLast().reduce(0, +) + (columns.count - 1) * table.columnGap
        for (line, index) in (offset..<min(model.rows.count, offset + visible)).enumerated() {
            let row = model.rows[index]
            let (used, reclaimable) = VolumesViewModel.shares(row)
            let first: GuestLayerKind = row.reclaimable == nil ? .notAnalysed : .inUse
            let kinds = bar(width: width, used: used, reclaimable: reclaimable, first: first)
            for (i, kind) in kinds.enumerated() {
                let glyph = kind == .freeUnallocated && !theme.marksRoles ? theme.glyphs.density[1] : theme.swatch(kind)
                screen.set(Cell(glyph, style: theme.style(kind)), at: Point(x: x + i, y: area.y + 1 + line))
            }
        }
    }

    /// The bar's cells: `first` (in use, or not analysed) for `used`, then reclaimable, then
    /// free and unallocated; a share that is not zero gets at least one cell.
    static func bar(width: Int, used: Double, reclaimable: Double, first: GuestLayerKind) -> [GuestLayerKind] {
        func cells(_ share: Double) -> Int { share <= 0 ? 0 : max(1, Int((share * Double(width)).rounded())) }
        let a = min(width, cells(used))
        let b = min(width - a, cells(reclaimable))
        return Array(repeating: first, count: a) + Array(repeating: .freeAllocated, count: b)
            + Array(repeating: .freeUnallocated, count: width - a - b)
    }

    static func drawLegend(in rect: Rect, theme: Theme, into screen: inout TerminalUI.Screen) {
        let items = GuestLayerKind.allCases.filter { $0 != .outsideVolumes }.map { kind in
            LegendItem(kind == .notAnalysed ? "in file, not analysed" : kind.label, style: theme.style(kind),
                       swatch: kind == .freeUnallocated && !theme.marksRoles ? theme.glyphs.density[1] : theme.swatch(kind))
        }
        screen.draw(Legend(items: items, labelStyle: theme.label), in: rect.inset(left: 1))
    }

    public static func handle(_ event: InputEvent, _ state: inout AppState, _ data: ExplorerData, body: Rect) -> Bool {
        let model = VolumesViewModel(data: data)
        let tableRect = regions(body, rows: model.rows.count).table
        let page = max(1, tableRect.height - 1)
        switch event {
        case .enter:
            guard !model.rows.isEmpty else { return true }
            let row = model.rows[min(state.screen.list.selection, model.rows.count - 1)]
            let clusterSize = max(data.results.guestSummary?.clusterSize ?? data.clusterSize, 1)
            state.jump(to: .guest) { guest in
                guest.map.cursor = row.start / clusterSize
                guest.map.showsVolumes = true
            }
            return true
        default:
            return state.screen.list.handleTableEvent(event, table: tableRect, count: model.rows.count, page: page)
        }
    }

    public static func position(_ state: AppState, _ data: ExplorerData) -> String {
        let model = VolumesViewModel(data: data)
        guard !model.rows.isEmpty else { return "volumes · " + (model.usage == nil ? "reading" : "none") }
        let r = model.rows[min(state.screen.list.selection, model.rows.count - 1)]
        return "volume \(r.index + 1)/\(model.rows.count) · \(r.table) \(r.partition) · \(r.filesystem) · guest \(hex(r.start))"
    }

    public static var hints: [KeyHint] {
        [KeyHint("Enter", "show in the map"), KeyHint("↑↓", "select"), KeyHint("mouse", "click selects, wheel scrolls")]
    }
}
