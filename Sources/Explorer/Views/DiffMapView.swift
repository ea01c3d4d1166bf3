import Formatting
import Analysis
import Qcow2
import TerminalUI

/// Drill from the snapshots view (`d`, `D`): what changed between two states of the disk as a
/// guest heatmap — changed data, zeroed, unallocated (falls through to the layers below),
/// rewritten-same (after `c`) and unchanged, each with its own mark — with the extent and the
/// host clusters on both sides under the cursor. The metadata diff is computed in the
/// background (``ExplorerWork/diff(_:)``); `c` reads and compares the changed clusters
/// (``ExplorerWork/diffContent(_:)``) with progress in the title, `c` again or Esc stops it.
/// Keys and layout are the guest map's (`C` switches the curve, `c` being the comparison).
public enum DiffMapView: ExplorerScreen {
    public static var positions: OffsetExpression.Space? { .guest }

    static func pair(_ state: AppState) -> DiffPair? {
        if case .drill(.diff(let p)) = state.front { return p }
        return nil
    }

    /// Whether `c` asked for the content comparison (page 1).
    static func wantsContent(_ state: AppState) -> Bool { state.screen.page == 1 }

    public static func work(_ state: AppState, _ data: ExplorerData) -> [ExplorerWork] {
        pair(state).map { [.diff($0)] } ?? []
    }

    /// The content comparison runs beside the map: its keys (`c` to stop, moving) act meanwhile.
    public static func sideWork(_ state: AppState, _ data: ExplorerData) -> [ExplorerWork] {
        guard let p = pair(state), wantsContent(state) else { return [] }
        return [.diffContent(p)]
    }

    /// The diff shown: the content comparison once done and asked for, else the metadata diff;
    /// nil while it is computed.
    static func entry(_ state: AppState, _ data: ExplorerData) -> SnapshotDiff.Entry? {
        guard let p = pair(state) else { return .failure(SnapshotGuestMapError(message: "no diff selected")) }
        if wantsContent(state), let content = data.contentDiffs[p] { return content }
        return data.diffs[p]
    }

    /// `1 "name"` or `current` (escaped: image text).
    static func name(_ side: DiffSide, _ data: ExplorerData) -> String {
        switch side {
        case .current: return "current"
        case .snapshot(let i):
            guard i >= 0, i < data.info.snapshots.count else { return "snapshot \(i)" }
            let s = data.info.snapshots[i]
            return "\(s.id.escaped) \"\(s.name.escaped)\""
        }
    }

    static func model(_ state: AppState, _ diff: SnapshotDiff, _ data: ExplorerData, body: Rect) -> DiffMapViewModel {
        DiffMapViewModel(state: state.screen.map, diff: diff, clusterSize: data.clusterSize,
                         names: (name(diff.pair.from, data), name(diff.pair.to, data)), body: body)
    }

    /// What the title says of the content: not compared, being compared (with progress), compared.
    static func contentText(_ state: AppState, _ data: ExplorerData) -> String {
        guard let p = pair(state), wantsContent(state) else { return "metadata only (c: content)" }
        if data.contentDiffs[p] != nil { return "content compared" }
        let (done, total) = data.contentProgress.bytes
        let percent = total == 0 ? 0 : Int(Double(done) / Double(total) * 100)
        return "comparing content \(percent)% (\(Formatted.humanSize(done)) of \(Formatted.humanSize(total))); c or Esc stops"
    }

    public static func draw(_ state: AppState, _ data: ExplorerData, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect) {
        guard let p = pair(state) else { return }
        switch entry(state, data) {
        case nil:
            WorkNotice("Comparing the L1/L2 tables of \(name(p.from, data)) and \(name(p.to, data))", .diff(p), data,
                       then: "The diff appears here as a map when it is done.", theme: theme)
                .draw(into: &screen, in: body)
        case .failure(let error)?:
            let text = "The diff could not be computed: \(error.message.terminalSafe)\n\nEsc goes back."
            screen.draw(Paragraph(text, style: theme.error), in: body.inset(top: 1, left: 2, right: 2))
        case .success(let diff)?:
            drawMap(model(state, diff, data, body: body), content: contentText(state, data), theme: theme, into: &screen)
        }
    }

    static func drawMap(_ model: DiffMapViewModel, content: String, theme: Theme, into screen: inout TerminalUI.Screen) {
        screen.put(model.title(width: model.regions.title.width, content: content), in: model.regions.title, style: theme.title)
        let grid = HeatmapGrid.arranged(model.cells.map(theme.diffCell), layout: model.state.layout, gridSize: model.gridSize,
                                        columnsPerCell: GuestMapViewModel.columnsPerCell, glyphs: theme.glyphs)
        screen.draw(grid, in: model.regions.grid)
        if let cell = model.cursorCell, let p = model.state.layout.position(of: cell, in: model.gridSize) {
            let kind = model.diff.counts(in: model.byteRange(model.cursorClusters)).shown
            let style = Style(foreground: theme.selection.foreground, background: theme.diffColor(kind), attributes: .bold)
            let origin = Point(x: model.regions.grid.x + p.x * GuestMapViewModel.columnsPerCell, y: model.regions.grid.y + p.y)
            screen.put("[]", at: origin, style: style, maxWidth: GuestMapViewModel.columnsPerCell)
        }
        let gutter = model.regions.gutter
        for y in 0..<min(gutter.height, model.gridSize.height) where !gutter.isEmpty {
            guard let label = model.rowLabel(y) else { break }
            screen.put(label, in: gutter.row(y), style: theme.label, alignment: .right)
        }
        DiffMapPanel(model: model, theme: theme).draw(into: &screen, in: model.regions.panel)
        let legend = DiffMapViewModel.legend(model.diff).map { item in
            LegendItem(item.label, style: theme.diffStyle(item.kind), swatch: theme.diffGlyph(item.kind))
        }
        screen.draw(Legend(items: legend, labelStyle: theme.label), in: model.regions.legend)
    }

    /// The host cluster of this image Enter opens: the newer state's at the probe offset, else
    /// the older state's (a zeroed or discarded range keeps its old cluster in A).
    static func drillTarget(_ model: DiffMapViewModel) -> Result<UInt64, GuestMapViewModel.DrillRefusal> {
        let probe = DiffMapPanel.probe(model)
        for state in [model.diff.to, model.diff.from] {
            if let c = DiffMapPanel.host(state, at: probe, clusterSize: model.clusterSize).cluster,
               state.map.layers.first?.hasDataFile != true { return .success(c) }
        }
        return .failure(GuestMapViewModel.DrillRefusal("neither state reads this offset from a host cluster of this image"))
    }

    public static func handle(_ event: InputEvent, _ state: inout AppState, _ data: ExplorerData, body: Rect) -> Bool {
        guard case .success(let diff)? = entry(state, data) else { return false }
        let model = model(state, diff, data, body: body)
        guard model.units > 0 else { return false }
        state.screen.map = model.state
        switch event {
        case .enter:
            switch drillTarget(model) {
            case .success(let cluster): state.push(.cluster(cluster))
            case .failure(let refusal): state.message = refusal.message
            }
            return true
        case .character("c"):
            state.screen.page = wantsContent(state) ? 0 : 1
            state.message = wantsContent(state) ? "comparing the changed clusters' content (c again or Esc stops)" : "content comparison stopped"
            return true
        case .character("n"), .character("N"):
            guard let next = model.nextChange(forward: event == .character("n")) else {
                state.message = "no change \(event == .character("n") ? "after" : "before") this cell"
                return true
            }
            state.screen.map.cursor = min(next, model.units - 1)
        default:
            guard state.screen.map.handleGuestNavigation(event, units: model.units, gridSize: model.gridSize, gridRect: model.regions.grid)
            else { return false }
        }
        state.screen.map = Self.model(state, diff, data, body: body).state
        return true
    }

    public static func position(_ state: AppState, _ data: ExplorerData) -> String {
        guard case .success(let diff)? = entry(state, data) else { return "diff · comparing tables" }
        let c = state.screen.map.cursor
        let offset = c &* max(data.clusterSize, 1)
        let counts = diff.counts(in: offset..<min(diff.diff.virtualSize, offset &+ data.clusterSize))
        let kind = counts.shown?.label ?? "unchanged"
        return "diff · guest \(hex(offset)) (#\(c)) · \(kind)"
    }

    public static var hints: [KeyHint] {
        [KeyHint("n/N", "next / previous change"), KeyHint("c", "compare content (again: stop)"), KeyHint("Esc", "back to snapshots"),
         KeyHint("Enter", "open host cluster"), KeyHint("+/-", "zoom"), KeyHint("0", "fit the whole disk"),
         KeyHint("C", "curve (Hilbert) / linear"), KeyHint("↑↓←→ hjkl", "move one cell"), KeyHint("g", "go to a guest offset")]
    }

    public static func goTo(_ target: OffsetExpression, _ state: inout AppState, _ data: ExplorerData) -> String? {
        guard case .success(let diff)? = entry(state, data) else { return "the diff is not ready yet" }
        guard target.space != .host else { return "the diff shows the virtual disk: use a guest offset" }
        guard target.offset < diff.diff.virtualSize else { return "\(hex(target.offset)) is past the end of the disk" }
        state.screen.map.cursor = target.offset / max(data.clusterSize, 1)
        return nil
    }
}
