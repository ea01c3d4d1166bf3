import TerminalUI

/// What the host and guest maps lay out the same way for one frame: the regions of the body
/// (``HostMapViewModel/regions(body:layout:units:clusterBits:legendHeight:)``), the grid's size
/// in cells, the state with its cursor kept on screen, and the clusters each cell stands for.
struct HeatmapGeometry {
    let regions: HostMapViewModel.Regions
    let gridSize: Size
    /// The state with its origin moved so the cursor is on screen for this geometry.
    let state: HeatmapState
    let viewport: HeatmapViewport

    /// `units` clusters of `1 << clusterBits` bytes; the legend's labels decide its height.
    init(state: HeatmapState, units: UInt64, clusterBits: UInt32, legendLabels: [String], body: Rect) {
        let legend = Legend(items: legendLabels.map { LegendItem($0, style: .plain) })
        regions = HostMapViewModel.regions(body: body, layout: state.layout, units: units, clusterBits: clusterBits,
                                           legendHeight: min(4, legend.height(forWidth: body.width)))
        gridSize = HeatmapGrid.gridSize(for: regions.grid, columnsPerCell: HostMapViewModel.columnsPerCell)
        var kept = state
        if units > 0 { kept.keepCursorVisible(units: units, gridSize: gridSize) }
        self.state = kept
        viewport = kept.viewport(units: units, gridSize: gridSize)
    }
}
