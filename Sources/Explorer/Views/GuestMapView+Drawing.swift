import Analysis
import Qcow2
import Reports
import TerminalUI

/// Drawing and keys shared by the current disk's guest map (view 3) and a snapshot's
/// (Drill.snapshotGuestMap): each keeps its cursor in its own `state.screen.map`; a snapshot's
/// map opens at the guest offset, zoom and layout the current map was at, and moving in it
/// leaves the current map where it was.
extension GuestMapView {
    public static func drawMap(_ model: GuestMapViewModel, theme: Theme, into screen: inout TerminalUI.Screen) {
        guard let source = model.source else { return }
        screen.put(model.title(width: model.regions.title.width), in: model.regions.title, style: theme.title)
        let overlay = model.state.showsFragmentation
        let counted = model.cells
        let cells = zip(counted, model.viewport.cellRanges).map { c, clusters in
            // Watching: where clusters allocated since the last re-scan landed stands out.
            source.newGuest.isEmpty || !WatchStatus.overlaps(source.newGuest, model.byteRange(clusters))
                ? c.layer.map { theme.layerCell($0.shown) } ?? cell(for: c, overlay: overlay, theme: theme) : theme.newCell
        }
        let grid = HeatmapGrid.arranged(cells, layout: model.state.layout, gridSize: model.gridSize,
                                        columnsPerCell: GuestMapViewModel.columnsPerCell, glyphs: theme.glyphs)
        screen.draw(grid, in: model.regions.grid)
        if overlay { drawJumps(model, counted, theme: theme, into: &screen) }
        drawCursor(model, theme: theme, into: &screen)
        let gutter = model.regions.gutter
        if !gutter.isEmpty {
            for y in 0..<min(gutter.height, model.gridSize.height) {
                guard let label = model.rowLabel(y) else { break }
                screen.put(label, in: gutter.row(y), style: theme.label, alignment: .right)
            }
        }
        GuestMapPanel(model: model, source: source, theme: theme).draw(into: &screen, in: model.regions.panel)
        var legend = GuestMapViewModel.legendLabels(source, state: model.state).map { item in
            switch item.key {
            case .jump:
                return LegendItem(item.label, style: Style(foreground: .indexed(196), background: theme.jumpBackground, attributes: .bold),
                                  swatch: theme.jumpGlyph)
            case .kind(let kind):
                return LegendItem(item.label, style: theme.style(kind), swatch: theme.marksRoles ? theme.glyph(kind) : theme.glyphs.swatch)
            case .layer(let kind):
                return LegendItem(item.label, style: theme.style(kind), swatch: theme.swatch(kind))
            case .note:
                return LegendItem(item.label, style: theme.label, swatch: " ")
            }
        }
        if !source.newGuest.isEmpty { legend.insert(theme.newLegend, at: 0) }
        screen.draw(Legend(items: legend, labelStyle: theme.label), in: model.regions.legend)
    }

    /// One cell: the dominant kind's colour, density by how much reads as something; `!` on
    /// entries QEMU refuses; with the overlay, a jump mark on a dark red ground where a
    /// sequential read leaves the previous host cluster.
    public static func cell(for cell: GuestMapViewModel.Cell, overlay: Bool, theme: Theme) -> HeatmapCell {
        let kind = cell.counts.shown
        if cell.counts.invalid > 0 { return HeatmapCell(style: theme.style(.invalid), level: 1, glyph: "!") }
        if theme.marksRoles, kind != .data {
            return HeatmapCell(style: theme.style(kind), level: 1, glyph: kind == .unallocated && cell.counts.fill == 0 ? " " : theme.glyph(kind))
        }
        if kind == .unallocated {
            return HeatmapCell(style: theme.style(kind), level: theme.colorMode == .none ? 0 : 0.01)
        }
        return HeatmapCell(style: theme.style(kind), level: max(cell.counts.fill, 0.01))
    }

    /// The fragmentation overlay: the right half of every cell where a sequential read jumps in
    /// the host file becomes a red `╳`, the left half keeps the cell's colour and density.
    static func drawJumps(_ model: GuestMapViewModel, _ cells: [GuestMapViewModel.Cell], theme: Theme, into screen: inout TerminalUI.Screen) {
        let style = Style(foreground: .indexed(196), background: theme.jumpBackground, attributes: .bold)
        let width = GuestMapViewModel.columnsPerCell
        for (i, cell) in cells.enumerated() where cell.jumps > 0 {
            guard let p = model.state.layout.position(of: i, in: model.gridSize) else { continue }
            let at = Point(x: model.regions.grid.x + p.x * width + width - 1, y: model.regions.grid.y + p.y)
            screen.set(TerminalUI.Cell(theme.jumpGlyph, style: style), at: at)
        }
    }

    /// The cursor as `[]` in black on the cell's colour (as the host map draws it).
    static func drawCursor(_ model: GuestMapViewModel, theme: Theme, into screen: inout TerminalUI.Screen) {
        guard let info = model.cursorInfo, let cell = model.cursorCell,
              let p = model.state.layout.position(of: cell, in: model.gridSize) else { return }
        let layer = model.showsLayer ? model.source?.volumes?.layerCounts(clusters: info.clusters, clusterSize: model.clusterSize) : nil
        let background = layer.map { theme.color($0.shown) } ?? theme.color(info.counts.shown)
        let style = Style(foreground: theme.selection.foreground, background: background, attributes: .bold)
        let origin = Point(x: model.regions.grid.x + p.x * GuestMapViewModel.columnsPerCell, y: model.regions.grid.y + p.y)
        screen.put("[]", at: origin, style: style, maxWidth: GuestMapViewModel.columnsPerCell)
    }

    /// Keys of a guest map: Enter, `f`, `0` and the shared heatmap navigation.
    static func handleMap(_ event: InputEvent, _ state: inout AppState, source: GuestMapSource?, body: Rect) -> Bool {
        let model = GuestMapViewModel(state: state.screen.map, source: source, body: body)
        guard model.units > 0 else { return false }
        state.screen.map = model.state
        switch event {
        case .enter:
            switch model.drillTarget {
            case .success(let cluster): state.push(.cluster(cluster))
            case .failure(let refusal): state.message = refusal.message
            }
            return true
        case .character("f"), .character("F"):
            state.screen.map.showsFragmentation.toggle()
        case .character("v"), .character("V"):
            state.screen.map.showsVolumes.toggle()
            if state.screen.map.showsVolumes, source?.volumes == nil { state.message = "volume layer: \(source?.volumesNote ?? "not available")" }
        case .character("n"), .character("N"):
            // With the host jumps shown, n / N step through them (as through problems in the layout).
            guard state.screen.map.showsFragmentation, let source else {
                state.message = "n / N step through host jumps: show them first with f"
                return true
            }
            guard let next = source.overview.jumps.next(after: state.screen.map.cursor, forward: event == .character("n")) else {
                state.message = "a sequential read of this disk never jumps in the host file"
                return true
            }
            state.screen.map.cursor = min(next, model.units - 1)
        default:
            guard state.screen.map.handleGuestNavigation(event, units: model.units, gridSize: model.gridSize, gridRect: model.regions.grid)
            else { return false }
        }
        state.screen.map = GuestMapViewModel(state: state.screen.map, source: source, body: body).state
        return true
    }

    public static func positionText(_ state: AppState, source: GuestMapSource?) -> String {
        guard let source, source.summary.clusterCount > 0 else { return "guest map · waiting for the map" }
        let c = min(state.screen.map.cursor, source.summary.clusterCount - 1)
        let offset = c &* source.summary.clusterSize
        let kind = source.summary.counts(clusters: c..<(c + 1)).dominant.map { k -> String in
            if case .backing(let d) = k { return "from \(source.layerName(d))" }
            return source.label(k)
        } ?? "?"
        let zoom = state.screen.map.zoom.map { HeatmapViewport.perCellText(UInt64(1) << UInt64(min($0, 63))) } ?? "fit"
        return "guest \(hex(offset)) (#\(c)) · \(kind) · \(zoom) · \(state.screen.map.layout.rawValue)"
    }

    static func goToGuest(_ target: OffsetExpression, _ state: inout AppState, source: GuestMapSource?) -> String? {
        guard target.space != .host else {
            return "the guest map shows the virtual disk: use a guest offset (host offsets: view 2)"
        }
        guard let source, source.summary.clusterCount > 0 else { return "the guest map is not ready yet" }
        guard target.offset < source.summary.virtualSize else {
            return "\(hex(target.offset)) is past the end of the disk (\(source.summary.virtualSize) bytes)"
        }
        state.screen.map.cursor = target.offset / source.summary.clusterSize
        return nil
    }

    static let mapHints: [KeyHint] = [
        KeyHint("+/-", "zoom"), KeyHint("v", "volume layer"), KeyHint("f", "host jumps"), KeyHint("Enter", "open host cluster"),
        KeyHint("n/N", "next / previous host jump (when shown with f)"),
        KeyHint("c", "curve (Hilbert) / linear"), KeyHint("↑↓←→ hjkl", "move one cell"), KeyHint("PgUp/PgDn", "screen"),
        KeyHint("Home/End", "first / last cluster"), KeyHint("0", "fit the whole disk"),
        KeyHint("g", "go to a guest offset"), KeyHint("mouse", "click selects a cell, wheel scrolls"),
    ]
}

extension HeatmapState {
    /// `0` (fit the whole disk) and the shared heatmap navigation, on a grid of guest-map cells
    /// (the guest maps and the diff).
    mutating func handleGuestNavigation(_ event: InputEvent, units: UInt64, gridSize: Size, gridRect: Rect) -> Bool {
        if event == .character("0") {
            zoom = nil
            return true
        }
        return handleNavigation(event, units: units, gridSize: gridSize, gridRect: gridRect, columnsPerCell: GuestMapViewModel.columnsPerCell)
    }
}
