import Analysis
import Qcow2
import TerminalUI

/// The drill-down of one host cluster (Drill.cluster): its role and refcounts, the findings
/// about it, who references it, and what it holds — decoded entry by entry, or as hex. Lines
/// that point at another cluster open it with Enter, so the tree of tables can be walked down
/// (L1 → L2 → data) and back up (Esc).
public enum ClusterDetailView: ExplorerScreen {
    public static var positions: OffsetExpression.Space? { .host }

    /// The cluster on top of the drill stack, if the top is a cluster drill.
    static func cluster(_ state: AppState) -> UInt64? {
        guard case .drill(.cluster(let c)) = state.front else { return nil }
        return c
    }

    /// Opens the drill-down of `cluster` (on top of the stack, or in place of the top one). Its
    /// model is built in the background (``ExplorerWork/cluster(_:)``); once it is there, the
    /// first line that leads somewhere is selected, so Enter walks on at once.
    public static func open(_ cluster: UInt64, _ state: inout AppState, replacing: Bool = false, via: ClusterReference? = nil) {
        if replacing { state.replaceFront(with: .cluster(cluster)) } else { state.push(.cluster(cluster)) }
        state.screen.via = via
    }

    public static func work(_ state: AppState, _ data: ExplorerData) -> [ExplorerWork] {
        cluster(state).map { [.cluster($0, via: state.screen.via)] } ?? []
    }

    /// The selected row: the first line that leads somewhere until a key has moved it.
    public static func selection(_ state: AppState, _ model: ClusterDetailModel, _ data: ExplorerData) -> Int {
        guard state.screen.selectionIsInitial else { return state.screen.list.selection }
        return lines(model, page(state), data).firstIndex { $0.target != nil } ?? 0
    }

    static func page(_ state: AppState) -> ClusterDetailModel.Page {
        ClusterDetailModel.Page(rawValue: state.screen.page) ?? .decoded
    }

    /// The rows below the fixed title: the page's lines, then its hex dump.
    struct Rows {
        var lines: [ClusterDetailModel.Line]
        var dump: HexDump
        var dumpRows: Int
        var count: Int { lines.count + dumpRows }

        /// Whether the cursor may rest on row `i`: not on a heading or a blank line (dump rows
        /// may be, to scroll through them).
        func isSelectable(_ i: Int) -> Bool {
            guard lines.indices.contains(i) else { return i >= 0 && i < count }
            let line = lines[i]
            return !line.text.isEmpty && line.tone != .section
        }

        init(_ model: ClusterDetailModel, page: ClusterDetailModel.Page, data: ExplorerData, width: Int) {
            lines = ClusterDetailView.lines(model, page, data)
            let (bytes, offset) = model.dumpBytes(page)
            dump = HexDump(bytes: bytes, baseOffset: offset)
            dumpRows = dump.rowCount(width: max(1, width - 1))
        }
    }

    public static func draw(_ state: AppState, _ data: ExplorerData, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect) {
        guard let c = cluster(state) else { return }
        let (titleRow, content) = body.splitTop(1)
        guard let model = data.results.clusterDetails[c] else {
            let title = ClusterDetailModel.title(cluster: c, data: data)
            screen.put(title.text, in: titleRow, style: style(title.tone, theme).adding(.bold))
            WorkNotice("Reading cluster #\(c) and searching the tables for what points at it", .cluster(c, via: state.screen.via), data,
                       then: "Its refcounts, references, decoded structure and hex dump appear here when done.", theme: theme)
                .draw(into: &screen, in: content)
            return
        }
        screen.put(model.title.text, in: titleRow, style: style(model.title.tone, theme).adding(.bold))
        let rows = Rows(model, page: page(state), data: data, width: content.width)
        let visible = content.height
        let selection = selection(state, model, data)
        let scroll = Table.scrollOffset(keeping: selection, previous: state.screen.list.scroll, visibleRows: visible,
                                        totalRows: rows.count)
        let (area, bar) = content.splitRight(ScrollBar.isNeeded(totalRows: rows.count, visibleRows: visible) ? 1 : 0)
        for y in 0..<visible {
            let r = scroll + y
            guard r < rows.lines.count else { break }
            let line = rows.lines[r]
            var lineStyle = style(line.tone, theme)
            if line.target != nil, r == selection { lineStyle = theme.selection }
            screen.put(line.text, in: area.row(y), style: lineStyle)
        }
        let firstDumpLine = max(0, rows.lines.count - scroll)
        if firstDumpLine < visible {
            var dump = rows.dump
            dump.scrollRow = max(0, scroll - rows.lines.count)
            dump.offsetStyle = theme.label
            screen.draw(dump, in: Rect(x: area.x, y: area.y + firstDumpLine, width: area.width, height: visible - firstDumpLine))
        }
        // The selection on a row without a target (or in the dump) is a thin highlight.
        let selectedRow = selection - scroll
        if selectedRow >= 0, selectedRow < visible, rows.lines.indices.contains(selection) == false
            || rows.lines[selection].target == nil {
            screen.restyle(area.row(selectedRow)) { $0.adding(.underline) }
        }
        if !bar.isEmpty {
            screen.draw(ScrollBar(totalRows: rows.count, visibleRows: visible, offset: scroll, glyphs: theme.glyphs), in: bar)
        }
    }

    static func style(_ tone: ClusterDetailModel.Tone, _ theme: Theme) -> Style {
        switch tone {
        case .plain: theme.value
        case .label: theme.label
        case .title: theme.title
        case .section: theme.accent
        case .warning: theme.warning
        case .error: theme.error
        case .role(let role): theme.style(role)
        }
    }

    public static func handle(_ event: InputEvent, _ state: inout AppState, _ data: ExplorerData, body: Rect) -> Bool {
        guard let c = cluster(state) else { return false }
        switch event {
        case .character("x"), .character("X"):
            state.screen.page = page(state) == .decoded ? ClusterDetailModel.Page.hex.rawValue : ClusterDetailModel.Page.decoded.rawValue
            state.screen.list = ListState()
            state.screen.selectionIsInitial = false
            return true
        case .character("]"), .character("["):
            let last = max(data.image.fileClusters, UInt64(data.analysis?.clusters.count ?? 0)) &- 1
            let next = event == .character("]") ? min(c &+ 1, max(last, c)) : (c > 0 ? c - 1 : 0)
            open(next, &state, replacing: true)
            return true
        default:
            break
        }
        // The other keys act on the lines: nothing to do until the model is there.
        guard let model = data.results.clusterDetails[c] else { return false }
        if state.screen.selectionIsInitial {
            state.screen.list.selection = selection(state, model, data)
            state.screen.selectionIsInitial = false
        }
        let content = body.splitTop(1).rest
        let rows = Rows(model, page: page(state), data: data, width: content.width)
        switch event {
        case .enter:
            let s = state.screen.list.selection
            guard rows.lines.indices.contains(s), let target = rows.lines[s].target else {
                state.message = "this line does not point at a cluster"
                return true
            }
            open(target, &state, via: rows.lines[s].via)
            return true
        case .mouse(let m) where m.kind == .press:
            guard content.contains(m.point) else { return false }
            state.screen.list.selection = min(max(0, rows.count - 1), state.screen.list.scroll + (m.y - content.y))
            return true
        default:
            let before = state.screen.list.selection
            guard state.screen.list.handleNavigation(event, count: rows.count, page: max(1, content.height - 1)) else { return false }
            state.screen.list.skip(from: before, count: rows.count, isSelectable: rows.isSelectable)
            state.screen.list.keepSelectionVisible(visibleRows: content.height, count: rows.count)
            return true
        }
    }

    public static func position(_ state: AppState, _ data: ExplorerData) -> String {
        guard let c = cluster(state) else { return "" }
        let role = data.analysis.map { $0.role(ofCluster: Int(clamping: c)).jsonName } ?? "scanning"
        let depth = state.drills.count > 1 ? " · depth \(state.drills.count)" : ""
        return "cluster #\(c) · \(hex(c << UInt64(data.header.clusterBits))) · \(role) · \(page(state).name)\(depth)"
    }

    public static var hints: [KeyHint] {
        [KeyHint("x", "hex/decoded"), KeyHint("Enter", "follow"), KeyHint("Esc", "back"),
         KeyHint("↑↓ PgUp/PgDn", "select a line (Enter opens the cluster a highlighted line points at)"),
         KeyHint("[ ]", "previous / next cluster"),
         KeyHint("g", "go to a host offset (opens that cluster)"), KeyHint("mouse", "click selects, wheel scrolls")]
    }

    public static func goTo(_ target: OffsetExpression, _ state: inout AppState, _ data: ExplorerData) -> String? {
        guard target.space != .guest else { return "a cluster drill-down takes host offsets" }
        let c = target.offset >> UInt64(data.header.clusterBits)
        guard c < data.image.fileClusters else { return "\(hex(target.offset)) is past the end of the file" }
        open(c, &state, replacing: true)
        return nil
    }
}
