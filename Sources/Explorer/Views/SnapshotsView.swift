import Formatting
import Analysis
import Reports
import TerminalUI

/// View 5: the backing chain as a trunk, the internal snapshots as a tree under the image and
/// the current state as a node, with ncdu-style bars of exclusive bytes (what deleting the
/// snapshot alone frees). `s` sorts by exclusive bytes; Enter opens a snapshot's guest map;
/// space, `d` and `D` open diffs (SnapshotsView+Diff.swift).
public enum SnapshotsView: ExplorerScreen {
    static let detailRows = 7

    static func model(_ state: AppState, _ data: ExplorerData, theme: Theme) -> SnapshotsViewModel {
        let g = theme.glyphs
        return SnapshotsViewModel(data: data, order: state.screen.sortsBySize ? .exclusiveBytes : .tree,
                                  guides: (g.treeBranch + " ", g.treeLast + " ", g.treeContinue + " ", g.treeSpace + " "),
                                  ellipsis: g.ellipsis)
    }

    static func regions(_ body: Rect) -> (title: Rect, table: Rect, details: Rect) {
        let (title, rest) = body.splitTop(1)
        let detail = rest.height >= 14 ? detailRows + 1 : 0
        let (table, details) = rest.splitBottom(detail)
        return (title, table, details.inset(top: 1, left: 1))
    }

    public static func draw(_ state: AppState, _ data: ExplorerData, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect) {
        let model = model(state, data, theme: theme)
        let (titleRect, tableRect, detailRect) = regions(body)
        screen.put(title(model, data), in: titleRect, style: theme.title)
        let selection = min(state.screen.list.selection, max(0, model.rows.count - 1))
        let bars = Style.fg(.indexed(179))
        // Names get the room they need first (up to 40 columns); on a narrow screen the date
        // drops its seconds and the bars give way.
        let nameWidth = min(40, max(8, model.rows.map { TerminalText.width($0.guide + $0.name) }.max() ?? 18))
        let narrow = tableRect.width < 100
        let table = Table(
            columns: [TableColumn("Name", width: .flexible(minimum: nameWidth, weight: 1)), TableColumn("ID", width: .fixed(4)),
                      TableColumn("Date", width: .fixed(narrow ? 16 : 19)),
                      TableColumn("Referenced", width: .fixed(10), alignment: .right),
                      TableColumn("Exclusive", width: .fixed(10), alignment: .right),
                      TableColumn("Shared", width: .fixed(10), alignment: .right),
                      TableColumn("Excl./max", width: .flexible(minimum: 0, weight: 2))],
            rows: model.rows.map { row($0, model: model, theme: theme, shortDate: narrow, marked: state.screen.marked) },
            selection: selection, scrollOffset: state.screen.list.scroll, selectionStyle: theme.selection,
            glyphs: theme.glyphs)
        screen.draw(table, in: tableRect)
        drawBars(model, data, table: table, in: tableRect, style: bars, theme: theme, into: &screen)
        if !detailRect.isEmpty, selection < model.rows.count {
            screen.fill(Rect(x: detailRect.x - 1, y: detailRect.y - 1, width: detailRect.width + 1, height: 1),
                        with: Cell(theme.glyphs.horizontal, style: theme.label))
            var details = SnapshotsViewModel.details(model.rows[selection], data: data)
            if case .layer(let d) = model.rows[selection].node { details += layerDetails(d, data) }
            screen.draw(FieldList(details.map { FieldList.Row($0.label, $0.value, theme.value) }, labelWidth: 14,
                                  labelStyle: theme.label), in: detailRect)
        }
    }

    static func title(_ model: SnapshotsViewModel, _ data: ExplorerData) -> String {
        let n = data.info.snapshots.count
        let chain = data.chain.layers.count
        let order = model.order == .tree ? "tree (parents inferred from shared clusters)" : "by exclusive bytes"
        let scanning = data.analysis == nil ? " · sizes after the scan" : ""
        return "\(n) snapshot\(n == 1 ? "" : "s") · chain of \(chain) file\(chain == 1 ? "" : "s") · \(order)\(scanning)"
    }

    static func row(_ r: SnapshotsViewModel.Row, model: SnapshotsViewModel, theme: Theme, shortDate: Bool = false, marked: Int? = nil) -> TableRow {
        let size: (UInt64?) -> String = { $0.map(Formatted.humanSize) ?? "" }
        let nameStyle: Style
        switch r.node {
        case .layer: nameStyle = theme.label
        case .current: nameStyle = theme.accent
        case .snapshot: nameStyle = theme.value
        }
        return TableRow([TableCell(r.guide + mark(r, marked: marked, theme: theme) + r.name, style: nameStyle), TableCell(r.id, style: theme.label),
                         TableCell(shortDate && r.id != "" ? String(r.date.prefix(16)) : r.date, style: theme.label),
                         TableCell(size(r.referenced)),
                         TableCell(size(r.exclusive), style: theme.title), TableCell(size(r.shared), style: theme.label),
                         TableCell("")])
    }

    /// The bars go in the last column, drawn after the table so they keep their colour on the
    /// selected row.
    static func drawBars(_ model: SnapshotsViewModel, _ data: ExplorerData, table: Table, in rect: Rect, style: Style, theme: Theme,
                         into screen: inout TerminalUI.Screen) {
        let visible = table.rowsVisible(in: rect)
        let offset = table.visibleOffset(rowsVisible: visible)
        let scrolls = ScrollBar.isNeeded(totalRows: model.rows.count, visibleRows: visible)
        let area = rect.splitRight(scrolls ? 1 : 0).rest
        let widths = table.columnWidths(totalWidth: area.width)
        guard let barWidth = widths.last, barWidth > 0 else { return }
        let x = area.maxX - barWidth
        let scale = layerScale(data)
        for (line, index) in (offset..<min(model.rows.count, offset + visible)).enumerated() {
            let r = model.rows[index]
            if case .layer(let d) = r.node, let row = accounting(d, data) {
                drawLayerBar(row, scale: scale, in: Rect(x: x, y: area.y + 1 + line, width: barWidth, height: 1), theme: theme, into: &screen)
            }
            guard r.exclusive != nil else { continue }
            let bar = HorizontalBar(fraction: model.barFraction(r), style: style, trackStyle: theme.label, glyphs: theme.glyphs)
            screen.draw(bar, in: Rect(x: x, y: area.y + 1 + line, width: barWidth, height: 1))
        }
    }

    public static func handle(_ event: InputEvent, _ state: inout AppState, _ data: ExplorerData, body: Rect) -> Bool {
        let model = model(state, data, theme: Theme())
        let page = max(1, regions(body).table.height - 1)
        if handleDiffKey(event, &state, data, model: model) { return true }
        switch event {
        case .character("s"), .character("S"):
            state.screen.sortsBySize.toggle()
            state.screen.list = ListState()
            return true
        case .enter:
            guard state.screen.list.selection < model.rows.count else { return true }
            switch model.rows[state.screen.list.selection].node {
            case .snapshot(let i):
                state.push(.snapshotGuestMap(i))
                state.screen.map = state[.guest].map
            case .current: state.jump(to: .guest)
            case .layer(let d) where d > 0: state.push(.chainLayer(d))
            case .layer: state.message = "this image: its header is view 1, its guest map view 3"
            }
            return true
        default:
            return state.screen.list.handleTableEvent(event, table: regions(body).table, count: model.rows.count, page: page)
        }
    }

    public static func position(_ state: AppState, _ data: ExplorerData) -> String {
        let model = model(state, data, theme: Theme())
        guard state.screen.list.selection < model.rows.count else { return "snapshots" }
        let r = model.rows[state.screen.list.selection]
        switch r.node {
        case .layer(let d): return "chain depth \(d) · \(r.name)"
        case .snapshot(let i): return "snapshot \(i + 1)/\(data.info.snapshots.count) · \(r.id) \(r.name)"
        case .current: return "current"
        }
    }

    public static var hints: [KeyHint] {
        [KeyHint("s", "sort"), KeyHint("d", "diff marked → selected (none marked: selected → current)"),
         KeyHint("space", "mark / unmark a snapshot"), KeyHint("D", "diff against the inferred parent"),
         KeyHint("Enter", "open: a snapshot's map, a backing file"), KeyHint("↑↓", "select"),
         KeyHint("mouse", "click selects, wheel scrolls")]
    }
}
