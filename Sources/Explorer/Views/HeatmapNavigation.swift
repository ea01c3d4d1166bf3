import TerminalUI

/// Keys and mouse of a heatmap (host map and guest map share them): arrows/hjkl move the cursor
/// one cell (spatially, also along the Hilbert curve), PgUp/PgDn a screen, Home/End to the ends,
/// `+`/`-` zoom, `c` switches linear ↔ Hilbert, a click selects a cell, the wheel scrolls.
///
/// The cursor is a cluster, not a cell, so zooming and switching layouts keep it on the same
/// cluster; ``keepCursorVisible(units:gridSize:)`` moves the origin so its cell is on screen.
extension HeatmapState {
    /// The viewport of this state on a grid (see ``HeatmapViewport``).
    public func viewport(units: UInt64, gridSize: Size) -> HeatmapViewport {
        HeatmapViewport(self, units: units, gridSize: gridSize)
    }

    /// Handles a navigation event for a map of `units` clusters drawn as `gridSize` cells at
    /// `gridRect` (`columnsPerCell` columns each). Returns whether the event was one of them.
    public mutating func handleNavigation(_ event: InputEvent, units: UInt64, gridSize: Size, gridRect: Rect,
                                          columnsPerCell: Int) -> Bool {
        guard units > 0 else { return false }
        keepCursorVisible(units: units, gridSize: gridSize)
        let view = viewport(units: units, gridSize: gridSize)
        switch event {
        case .left, .character("h"): moveCells(dx: -1, dy: 0, view)
        case .right, .character("l"): moveCells(dx: 1, dy: 0, view)
        case .up, .character("k"): moveCells(dx: 0, dy: -1, view)
        case .down, .character("j"): moveCells(dx: 0, dy: 1, view)
        case .pageUp: moveCells(dx: 0, dy: -max(1, gridSize.height), view)
        case .pageDown, .character(" "): moveCells(dx: 0, dy: max(1, gridSize.height), view)
        case .home: cursor = 0
        case .end: cursor = units - 1
        case .character("+"), .character("="): zoomIn(view)
        case .character("-"), .character("_"): zoomOut(view)
        case .character("c"), .character("C"): layout = layout == .linear ? .hilbert : .linear
        case .mouse(let m) where m.kind == .press:
            guard let i = view.cell(at: m.point, gridRect: gridRect, columnsPerCell: columnsPerCell) else { return false }
            cursor = view.range(ofCell: i).lowerBound
        case .mouse(let m) where m.kind == .wheelUp: moveCells(dx: 0, dy: -3, view)
        case .mouse(let m) where m.kind == .wheelDown: moveCells(dx: 0, dy: 3, view)
        default: return false
        }
        cursor = min(cursor, units - 1)
        keepCursorVisible(units: units, gridSize: gridSize)
        return true
    }

    /// Puts the cursor on `cluster` (clamped) and scrolls to it: for go-to and cross-view jumps.
    public mutating func jump(to cluster: UInt64, units: UInt64, gridSize: Size) {
        guard units > 0 else { return }
        cursor = min(cluster, units - 1)
        keepCursorVisible(units: units, gridSize: gridSize)
    }

    /// Moves the origin (zoomed maps only) so the cursor's cell is on screen: by whole rows in
    /// the linear layout (the cursor's row lands at the edge it left by), by whole pages along
    /// the Hilbert curve. Also clamps a stale zoom that no longer fits the grid.
    public mutating func keepCursorVisible(units: UInt64, gridSize: Size) {
        let view = viewport(units: units, gridSize: gridSize)
        guard let shift = view.shift, view.capacity > 0 else {
            origin = 0
            return
        }
        if zoom != nil { zoom = shift }
        let rowCells = layout == .linear ? max(1, gridSize.width) : view.capacity
        let step = HeatmapViewport.spanTimes(UInt64(rowCells), shift)  // clusters per row (or page)
        let rows = UInt64(max(1, view.capacity / rowCells))
        let cursorRow = cursor / step
        var firstRow = min(view.origin, units) / step
        if cursorRow < firstRow { firstRow = cursorRow }
        if cursorRow >= firstRow + rows { firstRow = cursorRow - rows + 1 }
        let totalRows = units / step + (units % step == 0 ? 0 : 1)
        firstRow = min(firstRow, totalRows > rows ? totalRows - rows : 0)
        let (start, overflow) = firstRow.multipliedReportingOverflow(by: step)
        origin = overflow ? 0 : start
    }

    /// Moves the cursor by cells: spatially on the grid, scrolling past its edges.
    mutating func moveCells(dx: Int, dy: Int, _ view: HeatmapViewport) {
        guard view.units > 0 else { return }
        let here = view.cell(containing: cursor) ?? 0
        // In the linear layout a row is `width` consecutive cells; the curve moves in space.
        if layout == .linear || view.capacity == 0 {
            let delta = dx + dy * max(1, view.gridSize.width)
            moveLinear(cells: delta, from: here, view)
            return
        }
        guard let p = layout.position(of: here, in: view.gridSize) else { return }
        let target = Point(x: p.x + dx, y: p.y + dy)
        if let i = layout.index(at: target, in: view.gridSize), i < view.cellCount {
            cursor = view.range(ofCell: i).lowerBound
        } else if dy != 0 || dx != 0 {
            // Off the grid: a page of the curve before or after.
            moveLinear(cells: (dy < 0 || dx < 0 ? -1 : 1) * view.capacity, from: here, view)
        }
    }

    private mutating func moveLinear(cells delta: Int, from here: Int, _ view: HeatmapViewport) {
        let target = here + delta
        if target >= 0, target < view.cellCount {
            cursor = view.range(ofCell: target).lowerBound
            return
        }
        guard let span = view.clustersPerCell else {
            cursor = target < 0 ? 0 : view.units - 1
            return
        }
        let (product, overflow) = UInt64(delta.magnitude).multipliedReportingOverflow(by: span)
        let step = overflow ? UInt64.max : product
        cursor = delta < 0 ? (cursor > step ? cursor - step : 0) : min(HeatmapViewport.add(cursor, step), view.units - 1)
    }

    /// `+`: halve the clusters per cell (from fit: the largest power of two the screen shows).
    mutating func zoomIn(_ view: HeatmapViewport) {
        if let shift = view.shift {
            zoom = max(0, shift - 1)
        } else {
            let fit = HeatmapViewport.fitShift(units: view.units, capacity: UInt64(max(1, view.capacity)))
            zoom = max(0, fit - 1)
        }
    }

    /// `-`: double the clusters per cell; back to fit once everything is on screen.
    mutating func zoomOut(_ view: HeatmapViewport) {
        guard let shift = view.shift, zoom != nil else { return }
        let fit = HeatmapViewport.fitShift(units: view.units, capacity: UInt64(max(1, view.capacity)))
        zoom = shift + 1 >= fit ? nil : shift + 1
    }
}
