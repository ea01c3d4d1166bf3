import Analysis
import Qcow2
import Reports
import TerminalUI

/// View 2: the image file as a heatmap (btrfs-heatmap, binvis). Each cell is a run of host
/// clusters coloured by its dominant role — leaks and conflicts win even as a minority — with a
/// glyph as dense as the run is used. Zoom by powers of two down to one cluster per cell, lay
/// the cells along a Hilbert curve with `c`, and open a cluster with Enter.
public enum HostMapView: ExplorerScreen {
    public static var positions: OffsetExpression.Space? { .host }

    public static func draw(_ state: AppState, _ data: ExplorerData, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect) {
        let model = HostMapViewModel(state: state.screen.map, data: data, body: body)
        guard let summary = model.summary, model.units > 0 else {
            drawWaiting(data, theme: theme, into: &screen, in: body)
            return
        }
        screen.put(model.title(fileSize: data.image.file.size, clusterSize: data.clusterSize, width: model.regions.title.width),
                   in: model.regions.title,
                   style: theme.title)
        let cells = zip(model.cells, model.viewport.cellRanges).map { counts, range in
            // Watching: clusters allocated since the last re-scan stand out whatever their role.
            data.watch?.hasNewHost(in: range) == true ? theme.newCell
                : cell(for: counts, corrupt: summary.hasCorrupt(in: range), theme: theme)
        }
        let grid = HeatmapGrid.arranged(cells, layout: model.state.layout, gridSize: model.gridSize,
                                        columnsPerCell: HostMapViewModel.columnsPerCell,
                                        glyphs: theme.glyphs)
        screen.draw(grid, in: model.regions.grid)
        drawCursor(model, summary: summary, theme: theme, into: &screen)
        let gutter = model.regions.gutter
        if !gutter.isEmpty {
            for y in 0..<min(gutter.height, model.gridSize.height) {
                guard let label = model.rowLabel(y) else { break }
                screen.put(label, in: gutter.row(y), style: theme.label, alignment: .right)
            }
        }
        HostMapPanel(model: model, data: data, summary: summary, theme: theme).draw(into: &screen, in: model.regions.panel)
        var legend = HostMapViewModel.legendLabels(summary).map { item in
            item.role.map { LegendItem(item.label, style: theme.style($0), swatch: theme.swatch($0)) }
                ?? LegendItem(item.label, style: theme.corruptStyle, swatch: theme.corruptGlyph)
        }
        if let watch = data.watch, !watch.newHost.isEmpty { legend.insert(theme.newLegend, at: 0) }
        screen.draw(Legend(items: legend, labelStyle: theme.label), in: model.regions.legend)
    }

    /// The cursor cell as `[]` in black on the cell's role colour: reverse video of a full block
    /// would hide the colour it is meant to show.
    static func drawCursor(_ model: HostMapViewModel, summary: HostMapSummary, theme: Theme, into screen: inout TerminalUI.Screen) {
        guard let cell = model.cursorCell, let p = model.state.layout.position(of: cell, in: model.gridSize) else { return }
        let role = summary.counts(in: model.cursorRange).dominant
        let style = Style(foreground: theme.selection.foreground, background: theme.color(role), attributes: .bold)
        let origin = Point(x: model.regions.grid.x + p.x * HostMapViewModel.columnsPerCell, y: model.regions.grid.y + p.y)
        screen.put("[]", at: origin, style: style, maxWidth: HostMapViewModel.columnsPerCell)
    }

    /// One cell: the dominant role's colour, density by how much is in use (without colour, the
    /// role's own mark, ``Theme/glyph(_:)``); `X` where a cluster is corrupt, `!` on conflicts,
    /// `?` on leaks (without colour), whatever else the cell holds.
    static func cell(for counts: RoleCounts, corrupt: Bool = false, theme: Theme) -> HeatmapCell {
        let role = counts.dominant
        if corrupt { return HeatmapCell(style: theme.corruptStyle, level: 1, glyph: theme.corruptGlyph) }
        if role == .conflict || role == .leaked { return HeatmapCell(style: theme.style(role), level: 1, glyph: theme.glyph(role)) }
        if theme.marksRoles { return HeatmapCell(style: theme.style(role), level: 1, glyph: theme.glyph(role)) }
        if role == .free {
            // A faint texture shows where the file's free space is; without colour it would look
            // like a used cell, so it stays blank there.
            return HeatmapCell(style: theme.style(.free), level: theme.colorMode == .none ? 0 : 0.01)
        }
        return HeatmapCell(style: theme.style(role), level: counts.fill)
    }

    static func drawWaiting(_ data: ExplorerData, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect) {
        let text: String
        if let error = data.scanError ?? data.results.scanError {
            text = "The host map needs the scan, which failed: \(error.terminalSafe)"
        } else if data.isScanning {
            text = "Scanning the metadata (\(Int(data.progress * 100))%): the host map appears when every cluster's role is known."
        } else {
            text = "The image file has no clusters to show."
        }
        screen.draw(Paragraph(text, style: theme.label), in: body.inset(top: 1, left: 2, right: 2))
    }

    public static func handle(_ event: InputEvent, _ state: inout AppState, _ data: ExplorerData, body: Rect) -> Bool {
        let model = HostMapViewModel(state: state.screen.map, data: data, body: body)
        guard model.units > 0 else { return false }
        state.screen.map = model.state
        switch event {
        case .enter:
            ClusterDetailView.open(model.drillTarget, &state)
            return true
        case .character("0"):
            state.screen.map.zoom = nil
        case .character("n"), .character("N"):
            guard let next = model.summary?.nextProblem(after: state.screen.map.cursor, forward: event == .character("n")) else {
                state.message = "no corrupted, conflicting or leaked clusters in this image"
                return true
            }
            state.screen.map.cursor = next
        default:
            guard state.screen.map.handleNavigation(event, units: model.units, gridSize: model.gridSize,
                                              gridRect: model.regions.grid, columnsPerCell: HostMapViewModel.columnsPerCell)
            else { return false }
        }
        // The layout or zoom may have changed the geometry: keep the cursor on screen in the new one.
        state.screen.map = HostMapViewModel(state: state.screen.map, data: data, body: body).state
        return true
    }

    public static func position(_ state: AppState, _ data: ExplorerData) -> String {
        guard let summary = data.results.hostMap, summary.clusterCount > 0 else { return "host map · waiting for the scan" }
        let c = state.screen.map.cursor
        let role = summary.analysis.role(ofCluster: Int(clamping: c))
        let zoom = state.screen.map.zoom.map { HeatmapViewport.perCellText(UInt64(1) << UInt64(min($0, 63))) } ?? "fit"
        return "cluster \(hex(c << UInt64(data.header.clusterBits))) (#\(c)) · \(role.jsonName) · \(zoom) · \(state.screen.map.layout.rawValue)"
    }

    public static var hints: [KeyHint] {
        [KeyHint("+/-", "zoom"), KeyHint("c", "curve"), KeyHint("Enter", "open cluster"),
         KeyHint("↑↓←→ hjkl", "move one cell"), KeyHint("PgUp/PgDn", "screen"), KeyHint("Home/End", "first / last cluster"),
         KeyHint("0", "fit the whole file"), KeyHint("n/N", "next / previous problem: corrupt and conflicting clusters first, then leaks"),
         KeyHint("g", "go to a host offset"), KeyHint("mouse", "click selects a cell, wheel scrolls")]
    }

    public static func goTo(_ target: OffsetExpression, _ state: inout AppState, _ data: ExplorerData) -> String? {
        guard target.space != .guest else {
            return "the host map shows the image file: use a host offset (guest offsets: view 3)"
        }
        guard let summary = data.results.hostMap, summary.clusterCount > 0 else { return "the host map is not ready yet" }
        let cluster = target.offset >> UInt64(data.header.clusterBits)
        guard cluster < UInt64(summary.clusterCount) else {
            return "\(hex(target.offset)) is past the end of the file (\(data.image.file.size) bytes)"
        }
        state.screen.map.cursor = cluster
        return nil
    }
}
