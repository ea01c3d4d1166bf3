import Formatting
import Analysis
import Qcow2
import Reports
import TerminalUI

/// The guest map's content and geometry for one frame: the virtual disk in guest clusters,
/// cut into cells by a ``HeatmapViewport``, each cell's counts by ``GuestClusterKind`` (from the
/// ``GuestMapSummary``'s extents, so a 4 TiB disk costs what its extents cost, not its clusters)
/// and its jumps in the host file (two binary searches in the ``GuestJumpIndex``).
///
/// Same regions as the host map (title, offset gutter, grid, panel, legend) so the two views
/// line up when switching between them. A pure value; ``GuestMapView`` draws it.
public struct GuestMapViewModel {
    public static let columnsPerCell = HostMapViewModel.columnsPerCell

    /// One cell: what its clusters hold and how often a sequential read jumps inside it.
    public struct Cell: Sendable, Hashable {
        public var counts: GuestClusterCounts
        public var jumps: Int
        /// Clusters by what the guest filesystem says of them, with the volume layer on.
        public var layer: GuestLayerCounts?
    }

    public let state: HeatmapState
    public let source: GuestMapSource?
    public let regions: HostMapViewModel.Regions
    public let gridSize: Size
    public let units: UInt64
    public let viewport: HeatmapViewport
    public let clusterSize: UInt64

    public init(state: HeatmapState, source: GuestMapSource?, body: Rect) {
        self.source = source
        let summary = source?.summary
        units = summary?.clusterCount ?? 0
        clusterSize = summary?.clusterSize ?? 65536
        let geometry = HeatmapGeometry(state: state, units: units, clusterBits: UInt32(clusterSize.trailingZeroBitCount),
                                       legendLabels: Self.legendLabels(source, state: state).map(\.label),
                                       body: body)
        regions = geometry.regions
        gridSize = geometry.gridSize
        self.state = geometry.state
        viewport = geometry.viewport
    }

    /// Every visible cell, in cell order.
    public var cells: [Cell] {
        guard let source else { return [] }
        let jumps = source.overview.jumps
        let volumes = showsLayer ? source.volumes : nil
        let clusterSize = clusterSize
        return source.cache.cells(.init(source: source.key + (volumes == nil ? "" : " volumes"), viewport: viewport)) {
            viewport.cellRanges.map {
                Cell(counts: source.summary.counts(clusters: $0), jumps: jumps.count(in: $0).count,
                     layer: volumes?.layerCounts(clusters: $0, clusterSize: clusterSize))
            }
        }
    }

    public var cursorCell: Int? { viewport.cell(containing: state.cursor) }
    public var cursorRange: Range<UInt64> { cursorCell.map(viewport.range(ofCell:)) ?? state.cursor..<state.cursor }

    /// Guest byte range of clusters `range` (the last cluster may be cut by the disk's end).
    public func byteRange(_ range: Range<UInt64>) -> Range<UInt64> {
        let size = source?.summary.virtualSize ?? 0
        let (s, o1) = range.lowerBound.multipliedReportingOverflow(by: clusterSize)
        let (e, o2) = range.upperBound.multipliedReportingOverflow(by: clusterSize)
        return min(o1 ? size : s, size)..<min(o2 ? size : e, size)
    }

    /// What a legend entry stands for.
    public enum LegendKey: Sendable, Hashable {
        case kind(GuestClusterKind)
        case layer(GuestLayerKind)
        case jump
        /// Words only (the volume layer while it is read).
        case note
    }

    /// The legend: each kind on the disk with its cluster count, or with the volume layer on each
    /// layer kind; the jump mark while the fragmentation overlay is on.
    static func legendLabels(_ source: GuestMapSource?, state: HeatmapState) -> [(key: LegendKey, label: String)] {
        guard let source else { return [] }
        var out: [(LegendKey, String)]
        if state.showsVolumes {
            out = layerLegend(source)
        } else {
            out = source.overview.totals.present.map { entry in
                if case .backing(let d) = entry.kind { return (.kind(entry.kind), "depth \(d) \(source.layerName(d)) \(entry.count)") }
                return (.kind(entry.kind), "\(source.label(entry.kind)) \(entry.count)")
            }
        }
        if state.showsFragmentation {
            let jumps = source.overview.jumps
            out.append((.jump, "host jump \(jumps.total)"))
        }
        return out.map { (key: $0.0, label: $0.1) }
    }

    /// "1 cluster/cell", "16 clusters/cell", "≈ 12.4 clusters/cell (fit)".
    public var zoomText: String {
        if let per = viewport.clustersPerCell {
            return HeatmapViewport.perCellText(per) + (state.zoom == nil ? " (fit)" : "")
        }
        return "≈ \((viewport.meanClustersPerCell * 10).rounded() / 10) clusters/cell (fit)"
    }

    /// The title row: which disk, its size and geometry, zoom, overlay and layout; the facts
    /// that do not fit `width` are left out whole, from the end.
    public func title(width: Int = .max) -> String {
        guard let source else { return "" }
        var parts = ["Guest \(source.title) \(Formatted.humanSize(source.summary.virtualSize))",
                     "\(units) clusters of \(Formatted.humanSize(clusterSize))", zoomText]
        if state.showsFragmentation { parts.append("jumps shown") }
        if state.showsVolumes { parts.append("volumes") }
        parts.append(state.layout.rawValue)
        return TerminalText.joinedFitting(parts, width: width)
    }

    /// The guest offset label of grid row `y` (linear layout), or nil past the last cell.
    public func rowLabel(_ y: Int) -> String? {
        let first = y * gridSize.width
        guard state.layout == .linear, first < viewport.cellCount else { return nil }
        return hex(byteRange(viewport.range(ofCell: first)).lowerBound)
    }
}
