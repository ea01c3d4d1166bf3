import Formatting
import Analysis
import Qcow2
import Reports
import TerminalUI

/// The host map's content and geometry for one frame: where the title, offset gutter, grid,
/// info panel and legend go, which clusters each cell stands for (``HeatmapViewport``), and the
/// role counts behind every cell. A pure value; ``HostMapView`` only draws it.
public struct HostMapViewModel {
    /// Terminal columns per cell: two make cells roughly square.
    public static let columnsPerCell = 2
    /// Width of the side panel, used when the body is at least ``sidePanelMinimumWidth`` wide.
    public static let panelWidth = 30
    public static let sidePanelMinimumWidth = 84

    public struct Regions: Sendable, Hashable {
        public var title: Rect
        /// Offsets of each row's first cell (linear layout only; empty otherwise).
        public var gutter: Rect
        public var grid: Rect
        /// The info panel for the cell under the cursor (beside or below the grid).
        public var panel: Rect
        public var legend: Rect
    }

    /// The state with its origin moved so the cursor is on screen for this geometry.
    public let state: HeatmapState
    public let regions: Regions
    public let gridSize: Size
    /// Host clusters shown (0 until the scan has finished).
    public let units: UInt64
    public let viewport: HeatmapViewport
    public let summary: HostMapSummary?
    public let clusterBits: UInt32

    public init(state: HeatmapState, data: ExplorerData, body: Rect) {
        summary = data.results.hostMap
        units = UInt64(summary?.clusterCount ?? 0)
        clusterBits = data.header.clusterBits
        let geometry = HeatmapGeometry(state: state, units: units, clusterBits: clusterBits,
                                       legendLabels: Self.legendLabels(summary).map(\.label), body: body)
        regions = geometry.regions
        gridSize = geometry.gridSize
        self.state = geometry.state
        viewport = geometry.viewport
    }

    /// Splits the body: a title row, the legend at the bottom, the panel at the right (or below
    /// the grid on narrow screens), and an offset gutter left of a linear grid.
    static func regions(body: Rect, layout: HeatmapLayout, units: UInt64, clusterBits: UInt32, legendHeight: Int) -> Regions {
        let (title, rest) = body.splitTop(1)
        let (middle, legend) = rest.splitBottom(min(legendHeight, max(0, rest.height - 3)))
        var gridArea = middle
        var panel = Rect.zero
        if middle.width >= sidePanelMinimumWidth {
            let (left, right) = middle.splitRight(panelWidth)
            gridArea = left.inset(right: 1)
            panel = right
        } else if middle.height >= 14 {
            let (top, bottom) = middle.splitBottom(5)
            gridArea = top
            panel = bottom
        }
        var gutter = Rect.zero
        if layout == .linear {
            let lastOffset = units > 0 ? (units - 1) << UInt64(clusterBits) : 0
            let width = min(gridArea.width / 3, 3 + String(lastOffset, radix: 16).count)
            (gutter, gridArea) = gridArea.splitLeft(width)
        }
        return Regions(title: title, gutter: gutter.inset(right: 1), grid: gridArea, panel: panel, legend: legend)
    }

    /// The legend's labels: every role present, in role order, with its cluster count, then the
    /// corrupted clusters' mark (role nil) when there are any.
    static func legendLabels(_ summary: HostMapSummary?) -> [(role: ClusterRole?, label: String)] {
        guard let summary else { return [] }
        var out: [(role: ClusterRole?, label: String)] = ClusterRole.allCases.filter { summary.totals[$0] > 0 }
            .map { ($0, "\($0.jsonName) \(summary.totals[$0])") }
        if !summary.corrupt.isEmpty { out.append((nil, "corrupt \(summary.corrupt.count)")) }
        return out
    }

    /// Role counts of every visible cell, in cell order.
    public var cells: [RoleCounts] { summary?.cells(viewport.cellRanges) ?? [] }

    /// The cell under the cursor and its clusters.
    public var cursorCell: Int? { viewport.cell(containing: state.cursor) }
    public var cursorRange: Range<UInt64> { cursorCell.map(viewport.range(ofCell:)) ?? state.cursor..<state.cursor }

    /// The cluster Enter opens: the cursor's when a cell is one cluster, else the first cluster
    /// of the cell with the role its colour shows (so a red cell opens the leaked cluster), or
    /// its first corrupted cluster when it is marked so.
    public var drillTarget: UInt64 {
        let range = cursorRange
        guard range.count > 1, let summary else { return state.cursor }
        if let i = summary.corruptIndex(atOrAfter: range.lowerBound), summary.corrupt[i] < range.upperBound {
            return summary.corrupt[i]
        }
        let role = summary.counts(in: range).dominant
        return summary.firstCluster(of: role, in: range) ?? state.cursor
    }

    /// "1 cluster/cell", "16 clusters/cell", "≈ 12.4 clusters/cell (fit)".
    public var zoomText: String {
        if let per = viewport.clustersPerCell {
            return HeatmapViewport.perCellText(per) + (state.zoom == nil ? " (fit)" : "")
        }
        let mean = viewport.meanClustersPerCell
        return "≈ \((mean * 10).rounded() / 10) clusters/cell (fit)"
    }

    /// The title row: file size, cluster geometry, zoom, layout and the clusters on screen.
    /// Facts that do not fit `width` are left out whole, from the end.
    public func title(fileSize: UInt64, clusterSize: UInt64, width: Int = .max) -> String {
        let shown = viewport.cellCount > 0
            ? "#\(viewport.range(ofCell: 0).lowerBound)–#\(viewport.range(ofCell: viewport.cellCount - 1).upperBound - 1)" : "none"
        return TerminalText.joinedFitting(["Host file \(Formatted.humanSize(fileSize))",
                                           "\(units) clusters of \(Formatted.humanSize(clusterSize))", zoomText,
                                           "showing \(shown)", state.layout.rawValue], width: width)
    }

    /// The offset label of grid row `y` (linear layout), or nil past the last cell.
    public func rowLabel(_ y: Int) -> String? {
        let first = y * gridSize.width
        guard state.layout == .linear, first < viewport.cellCount else { return nil }
        return hex(viewport.range(ofCell: first).lowerBound << UInt64(clusterBits))
    }
}
