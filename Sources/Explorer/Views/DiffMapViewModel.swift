import Formatting
import Analysis
import Qcow2
import TerminalUI

/// A diff between two states as a guest heatmap, one frame of it: the virtual disk in guest
/// clusters (of the explored image), cut into cells by a ``HeatmapViewport``; each cell's bytes
/// by change kind come from the diff's prefix sums (``SnapshotDiff/counts(in:)``), so a diff
/// with millions of extents costs two binary searches a cell. Same regions as the guest map.
public struct DiffMapViewModel {
    public let state: HeatmapState
    public let diff: SnapshotDiff
    public let regions: HostMapViewModel.Regions
    public let gridSize: Size
    public let units: UInt64
    public let viewport: HeatmapViewport
    public let clusterSize: UInt64
    /// "1 "before"" → "current" (escaped).
    public let names: (from: String, to: String)

    public init(state: HeatmapState, diff: SnapshotDiff, clusterSize: UInt64, names: (from: String, to: String), body: Rect) {
        self.diff = diff
        self.names = names
        let cluster = max(1, clusterSize)
        self.clusterSize = cluster
        let size = diff.diff.virtualSize
        units = size / cluster + (size % cluster == 0 ? 0 : 1)
        let geometry = HeatmapGeometry(state: state, units: units, clusterBits: UInt32(cluster.trailingZeroBitCount),
                                       legendLabels: Self.legend(diff).map(\.label), body: body)
        regions = geometry.regions
        gridSize = geometry.gridSize
        self.state = geometry.state
        viewport = geometry.viewport
    }

    /// Every visible cell's counts, in cell order.
    public var cells: [DiffCounts] {
        viewport.cellRanges.map { diff.counts(in: byteRange($0)) }
    }

    public var cursorCell: Int? { viewport.cell(containing: state.cursor) }
    /// Clusters of the cell under the cursor.
    public var cursorClusters: Range<UInt64> {
        let r = cursorCell.map(viewport.range(ofCell:)) ?? state.cursor..<state.cursor
        return r.isEmpty ? state.cursor..<(state.cursor &+ 1) : r
    }

    /// Guest byte range of clusters `range` (the last cluster may be cut by the disk's end).
    public func byteRange(_ range: Range<UInt64>) -> Range<UInt64> {
        let size = diff.diff.virtualSize
        let (s, o1) = range.lowerBound.multipliedReportingOverflow(by: clusterSize)
        let (e, o2) = range.upperBound.multipliedReportingOverflow(by: clusterSize)
        return min(o1 ? size : s, size)..<min(o2 ? size : e, size)
    }

    /// The legend: each change kind present and unchanged, with bytes (nil kind: unchanged).
    static func legend(_ diff: SnapshotDiff) -> [(kind: DiffChange?, label: String)] {
        var out: [(DiffChange?, String)] = diff.diff.bytesByChange.filter { $0.1 > 0 }.map { kind, bytes in
            (kind, "\(kind.label) \(Formatted.humanSize(bytes))")
        }
        let unchanged = diff.diff.virtualSize > diff.diff.changedBytes ? diff.diff.virtualSize - diff.diff.changedBytes : 0
        out.append((nil, "unchanged \(Formatted.humanSize(unchanged))"))
        return out.map { (kind: $0.0, label: $0.1) }
    }

    /// The title row; the facts that do not fit `width` are left out whole, from the end.
    public func title(width: Int = .max, content: String) -> String {
        let changed = diff.diff.changedBytes
        let parts = ["Diff \(names.from) → \(names.to)", content, "\(Formatted.humanSize(changed)) changed in \(diff.extents.count) extents",
                     "\(units) clusters of \(Formatted.humanSize(clusterSize))",
                     viewport.clustersPerCell.map(HeatmapViewport.perCellText) ?? "fit", state.layout.rawValue]
        return TerminalText.joinedFitting(parts, width: width)
    }

    /// The guest offset label of grid row `y` (linear layout), or nil past the last cell.
    public func rowLabel(_ y: Int) -> String? {
        let first = y * gridSize.width
        guard state.layout == .linear, first < viewport.cellCount else { return nil }
        return hex(byteRange(viewport.range(ofCell: first)).lowerBound)
    }

    /// The extent the panel describes: the first one that reaches into the cursor's cell at or
    /// after the cursor cluster, else the first in the cell.
    public var cursorExtent: (index: Int, extent: DiffExtent)? {
        let cell = byteRange(cursorClusters)
        let at = max(cell.lowerBound, byteRange(state.cursor..<(state.cursor &+ 1)).lowerBound)
        for start in [at, cell.lowerBound] {
            let i = diff.firstExtent(endingAfter: start)
            if i < diff.extents.count, diff.extents[i].start < cell.upperBound { return (i, diff.extents[i]) }
        }
        return nil
    }

    /// The cluster `n` (forward) or `N` moves to: the start of the next change after the
    /// cursor's cell (or where it enters the next cell), or of the previous change before the
    /// cell; nil when there is none that way. Stepping past the cell, not by extent, so a
    /// zoomed-out map of millions of extents moves on at every press.
    public func nextChange(forward: Bool) -> UInt64? {
        let cell = byteRange(cursorClusters)
        let extents = diff.extents
        if forward {
            let i = diff.firstExtent(endingAfter: cell.upperBound)
            guard i < extents.count else { return nil }
            return max(extents[i].start, cell.upperBound) / clusterSize
        }
        // The extent reaching into the cell from before it, else the last one ending before it.
        let i = diff.firstExtent(endingAfter: cell.lowerBound)
        if i < extents.count, extents[i].start < cell.lowerBound { return extents[i].start / clusterSize }
        return i > 0 ? extents[i - 1].start / clusterSize : nil
    }
}

extension DiffChange {
    /// The legend and panel name.
    public var label: String {
        switch self {
        case .data: "changed"
        case .zero: "zeroed"
        case .unallocated: "unallocated"
        case .rewrittenSame: "rewritten-same"
        }
    }
}
