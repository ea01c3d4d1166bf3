import Analysis
import Reports
import TerminalUI

/// View 1: every header field with its byte offset, the features by name, the header extensions,
/// encryption, the backing chain, sizes, and a one-line health summary once the scan is done.
public enum HeaderView: ExplorerScreen {
    public static func draw(_ state: AppState, _ data: ExplorerData, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect) {
        let rows = HeaderViewModel(data: data).rows
        let table = Table(
            columns: [TableColumn("Offset", width: .fixed(10), alignment: .right),
                      TableColumn("Field", width: .flexible(minimum: 16, weight: 1)),
                      TableColumn("Value", width: .flexible(minimum: 20, weight: 3))],
            rows: rows.map { row(for: $0, theme: theme) },
            selection: min(state.screen.list.selection, max(0, rows.count - 1)),
            scrollOffset: state.screen.list.scroll,
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
        let count = HeaderViewModel(data: data).rows.count
        let page = max(1, body.height - 1)
        guard state.screen.list.handleNavigation(event, count: count, page: page) else { return false }
        state.screen.list.keepSelectionVisible(visibleRows: page, count: count)
        return true
    }

    public static func position(_ state: AppState, _ data: ExplorerData) -> String {
        let h = data.header
        return "qcow2 v\(h.version) · \(InfoFormatting.humanSize(h.size)) virtual · \(InfoFormatting.humanSize(h.clusterSize)) clusters"
    }

    public static var hints: [KeyHint] { [KeyHint("↑↓", "scroll")] }
}
