import Formatting
import Analysis
import Qcow2
import Reports
import TerminalUI

/// View 1: every header field with its byte offset, the features by name, the header extensions,
/// encryption, the backing chain, sizes, and a one-line health summary once the scan is done.
public enum HeaderView: ExplorerScreen {
    public static func draw(_ state: AppState, _ data: ExplorerData, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect) {
        drawRows(HeaderViewModel(data: data), state: state, theme: theme, into: &screen, in: body)
    }

    /// The table of a header model (this image's, or a backing file's), the cursor on a field.
    static func drawRows(_ model: HeaderViewModel, state: AppState, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect) {
        let rows = model.rows
        var list = state.screen.list
        list.skip(from: list.selection, count: rows.count, isSelectable: model.isSelectable)
        let table = Table(
            columns: [TableColumn("Offset", width: .fixed(10), alignment: .right),
                      TableColumn("Field", width: .flexible(minimum: 16, weight: 1)),
                      TableColumn("Value", width: .flexible(minimum: 20, weight: 3))],
            rows: rows.map { row(for: $0, theme: theme) },
            selection: min(list.selection, max(0, rows.count - 1)),
            scrollOffset: list.scroll,
            selectionStyle: theme.selection, glyphs: theme.glyphs)
        screen.draw(table, in: body)
    }

    static func row(for line: HeaderViewModel.Line, theme: Theme) -> TableRow {
        switch line {
        case .section(let title):
            return TableRow([TableCell(""), TableCell(title, style: theme.accent), TableCell("")])
        case .field(let offset, let name, let value, let severity):
            let style = severity.map { theme.style($0) } ?? theme.value
            return TableRow([TableCell(offset.map { hex($0) } ?? "", style: theme.label), TableCell(name),
                             TableCell(value, style: style)])
        case .blank:
            return TableRow(texts: ["", "", ""])
        }
    }

    public static func handle(_ event: InputEvent, _ state: inout AppState, _ data: ExplorerData, body: Rect) -> Bool {
        handleRows(event, &state, model: HeaderViewModel(data: data), body: body)
    }

    /// The keys of a header table (this view's, and a backing file's opened from it): moves that
    /// skip headings and blank lines, and Enter on a field that points somewhere.
    static func handleRows(_ event: InputEvent, _ state: inout AppState, model: HeaderViewModel, body: Rect) -> Bool {
        let count = model.rows.count
        let page = max(1, body.height - 1)
        // The cursor as drawn: never on a heading (the first row is one).
        state.screen.list.skip(from: state.screen.list.selection, count: count, isSelectable: model.isSelectable)
        if event == .enter {
            switch model.targets[state.screen.list.selection] {
            case .cluster(let c)?: state.push(.cluster(c))
            case .layer(let d)?: state.push(.chainLayer(d))
            case nil: state.message = "this field does not point at a cluster or a file"
            }
            return true
        }
        let before = state.screen.list.selection
        guard state.screen.list.handleTableEvent(event, table: body, count: count, page: page) else { return false }
        state.screen.list.skip(from: before, count: count, isSelectable: model.isSelectable)
        state.screen.list.keepSelectionVisible(visibleRows: page, count: count)
        return true
    }

    public static func position(_ state: AppState, _ data: ExplorerData) -> String {
        let h = data.header
        return "qcow2 v\(h.version) · \(Formatted.humanSize(h.size)) virtual · \(Formatted.humanSize(h.clusterSize)) clusters"
    }

    public static var hints: [KeyHint] {
        [KeyHint("↑↓", "select a field"), KeyHint("Enter", "open the cluster or backing file a field points at")]
    }
}
