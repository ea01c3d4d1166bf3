import Analysis
import Qcow2
import Reports
import TerminalUI

/// View 7: `qemu-img check`'s verdict and numbers, then every finding grouped by kind, coloured
/// by severity, and the selected one whole in a detail pane below (messages longer than the
/// table's column are read there). Enter opens the finding's cluster (as in every view, Enter
/// opens what is selected); `m` shows it in the layout.
public enum CheckView: ExplorerScreen {
    public static var positions: OffsetExpression.Space? { .host }

    static func model(_ data: ExplorerData) -> CheckViewModel? {
        data.results.check
    }

    /// Rows of the detail pane (with its rule), when the body has room for it.
    static let detailRows = 4

    static func regions(_ body: Rect, summaryLines: Int) -> (title: Rect, summary: Rect, table: Rect, detail: Rect) {
        let (title, r1) = body.splitTop(1)
        let (summary, r2) = r1.splitTop(min(summaryLines, max(0, r1.height - 3)))
        let (table, detail) = r2.inset(top: 1).splitBottom(r2.height >= 12 ? detailRows + 1 : 0)
        return (title, summary, table, detail)
    }

    public static func draw(_ state: AppState, _ data: ExplorerData, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect) {
        guard let model = model(data) else {
            let text = data.scanError.map { "The check could not run: \($0.terminalSafe)" }
                ?? "Checking (\(Int(data.progress * 100))%): the findings appear when the scan has finished."
            screen.draw(Paragraph(text, style: theme.label), in: body.inset(top: 1, left: 2, right: 2))
            return
        }
        let (titleRect, summaryRect, tableRect, detailRect) = regions(body, summaryLines: model.summary.count)
        let headStyle = model.severity.map { theme.style($0) } ?? theme.good
        let used = screen.put("Check: ", at: titleRect.origin, style: theme.title)
        screen.put(model.headline, at: titleRect.origin.offset(dx: used), style: headStyle, maxWidth: titleRect.width - used)
        for (y, line) in model.summary.prefix(summaryRect.height).enumerated() {
            screen.put(line.terminalSafe, in: summaryRect.row(y), style: theme.value)
        }
        guard !model.rows.isEmpty else {
            screen.put("No findings: every cluster is referenced as its refcount says.", in: tableRect.row(0), style: theme.good)
            return
        }
        let selection = min(state.screen.list.selection, model.rows.count - 1)
        let table = Table(
            columns: [TableColumn("Offset", width: .fixed(14), alignment: .right), TableColumn("Cluster", width: .fixed(10), alignment: .right),
                      TableColumn("Finding", width: .flexible(minimum: 20, weight: 1))],
            rows: model.rows.map { row($0, theme: theme) }, selection: selection, scrollOffset: state.screen.list.scroll,
            selectionStyle: theme.selection, glyphs: theme.glyphs)
        screen.draw(table, in: tableRect)
        drawDetail(model, selection: selection, theme: theme, into: &screen, in: detailRect)
    }

    /// The selected row whole, wrapped: a finding's kind, offset, cluster and full message.
    static func drawDetail(_ model: CheckViewModel, selection: Int, theme: Theme, into screen: inout TerminalUI.Screen, in rect: Rect) {
        guard rect.height > 1, model.rows.indices.contains(selection) else { return }
        screen.fill(rect.row(0), with: Cell(theme.glyphs.horizontal, style: theme.label))
        let text: String, style: Style
        switch model.rows[selection] {
        case .finding(let f):
            text = "\(f.kind.rawValue) at \(hex(f.offset))\(f.cluster.map { ", cluster #\($0)" } ?? ""): \(f.message.terminalSafe)"
            style = theme.style(f.severity)
        case let .group(kind, count, counting, shown):
            text = CheckViewModel.groupText(kind: kind, count: count, counting: counting, shown: shown)
            style = theme.accent
        case .note(let note, let severity):
            text = note
            style = theme.style(severity)
        }
        screen.draw(Paragraph(text, style: style), in: rect.inset(top: 1, left: 1, right: 1))
    }

    static func row(_ r: CheckViewModel.Row, theme: Theme) -> TableRow {
        switch r {
        case let .group(kind, count, counting, shown):
            let style = counting == .corruption || counting == .checkError ? theme.error : counting == .leak ? theme.warning : theme.accent
            return TableRow([TableCell(""), TableCell(""),
                             TableCell(CheckViewModel.groupText(kind: kind, count: count, counting: counting, shown: shown), style: style)])
        case .finding(let f):
            return TableRow([TableCell(hex(f.offset), style: theme.label), TableCell(f.cluster.map { "#\($0)" } ?? "", style: theme.label),
                             TableCell("  " + f.message.terminalSafe, style: theme.style(f.severity))])
        case .note(let text, let severity):
            return TableRow([TableCell(""), TableCell(""), TableCell(text, style: theme.style(severity))])
        }
    }

    public static func handle(_ event: InputEvent, _ state: inout AppState, _ data: ExplorerData, body: Rect) -> Bool {
        guard let model = model(data) else { return false }
        let tableRect = regions(body, summaryLines: model.summary.count).table
        let page = max(1, tableRect.height - 1)
        let count = model.rows.count
        switch event {
        case .enter, .character("d"), .character("D"), .character("m"), .character("M"):
            guard let cluster = model.cluster(at: state.screen.list.selection) else {
                state.message = "this line has no cluster to show"
                return true
            }
            if event == .character("m") || event == .character("M") {
                showInHostMap(cluster, &state, data, body: body)
            } else {
                state.push(.cluster(cluster))
            }
            return true
        default:
            return state.screen.list.handleTableEvent(event, table: tableRect, count: count, page: page)
        }
    }

    /// Switches to the host map with its cursor on `cluster`, scrolled so it is on screen (the
    /// host map's view model moves the origin for the current zoom and layout).
    static func showInHostMap(_ cluster: UInt64, _ state: inout AppState, _ data: ExplorerData, body: Rect) {
        let units = UInt64(data.results.hostMap?.clusterCount ?? 0)
        state.jump(to: .host) { host in
            host.map.cursor = units > 0 ? min(cluster, units - 1) : cluster
            host.map = HostMapViewModel(state: host.map, data: data, body: body).state
        }
        if units > 0, cluster >= units { state.message = "cluster #\(cluster) is past the end of the file: showing the last one" }
    }

    public static func position(_ state: AppState, _ data: ExplorerData) -> String {
        guard let model = model(data) else { return "check · waiting for the scan" }
        guard !model.rows.isEmpty else { return "check · \(model.headline)" }
        let i = min(state.screen.list.selection, model.rows.count - 1)
        switch model.rows[i] {
        case .group(let kind, let count, _, _): return "check · \(kind.rawValue) (\(count))"
        case .finding(let f): return "check · \(f.kind.rawValue) at \(hex(f.offset))\(f.cluster.map { " (cluster #\($0))" } ?? "")"
        case .note: return "check · \(model.headline)"
        }
    }

    /// `g` with a host offset selects the first finding at or after it.
    public static func goTo(_ target: OffsetExpression, _ state: inout AppState, _ data: ExplorerData) -> String? {
        guard target.space != .guest else { return "findings are located in the image file: use a host offset" }
        guard let model = model(data) else { return "the check is not ready yet" }
        var best: (index: Int, offset: UInt64)?
        for (i, row) in model.rows.enumerated() {
            guard case .finding(let f) = row, f.offset >= target.offset else { continue }
            if best.map({ f.offset < $0.offset }) ?? true { best = (i, f.offset) }
        }
        guard let best else { return "no finding at or after \(hex(target.offset))" }
        state.screen.list.selection = best.index
        return nil
    }

    public static var hints: [KeyHint] {
        [KeyHint("Enter", "open its cluster"), KeyHint("m", "show in the layout"), KeyHint("g", "first finding at or after a host offset"),
         KeyHint("↑↓", "select"),
         KeyHint("mouse", "click selects, wheel scrolls")]
    }
}
