import TerminalUI

/// Which clusters each cell of a heatmap stands for: the arithmetic shared by the host map and
/// the guest map, as a pure value built from a ``HeatmapState`` and the grid that fits on screen.
///
/// Each cell is `2^k` clusters. *Fit* (`zoom == nil`): `k` is the smallest that shows the whole
/// map, so clusters per cell and row offsets are round numbers; nothing scrolls. *Zoomed*
/// (`zoom == k`): cells start at `origin`, and the view scrolls by rows (linear layout) or pages
/// (Hilbert layout). Every function is O(1). (A viewport without a shift, fractional buckets
/// of `b * units / cells`, is still understood by the arithmetic below.)
public struct HeatmapViewport: Sendable, Hashable {
    /// Clusters in the whole map (host clusters of the file, or guest clusters of the disk).
    public let units: UInt64
    public let gridSize: Size
    public let layout: HeatmapLayout
    /// Cells the layout can use in `gridSize`.
    public let capacity: Int
    /// log2 of clusters per cell; nil when the map is fitted in fractional buckets.
    public let shift: Int?
    /// First cluster shown (0 when fitted).
    public let origin: UInt64

    /// The viewport for `units` clusters on `gridSize` with `state`'s zoom, origin and layout.
    /// A zoom too coarse for the map (everything fits) or a fit with fewer clusters than cells
    /// both become "one aligned window from 0".
    public init(units: UInt64, gridSize: Size, layout: HeatmapLayout, zoom: Int?, origin: UInt64) {
        self.units = units
        self.gridSize = gridSize
        self.layout = layout
        capacity = layout.capacity(in: gridSize)
        let cap = UInt64(max(capacity, 1))
        if let zoom {
            let k = min(max(zoom, 0), Self.fitShift(units: units, capacity: cap))
            shift = k
            self.origin = Self.spanTimes(cap, k) >= units ? 0 : min(origin, units)
        } else {
            // Fit: the smallest power of two that shows everything, so cells and row labels
            // fall on round offsets (the grid may be up to half empty).
            shift = Self.fitShift(units: units, capacity: cap)
            self.origin = 0
        }
    }

    public init(_ state: HeatmapState, units: UInt64, gridSize: Size) {
        self.init(units: units, gridSize: gridSize, layout: state.layout, zoom: state.zoom, origin: state.origin)
    }

    /// The smallest shift at which `capacity` cells hold every cluster (the coarsest useful zoom).
    public static func fitShift(units: UInt64, capacity: UInt64) -> Int {
        guard capacity > 0, units > capacity else { return 0 }
        var k = 0
        while k < 63, spanTimes(capacity, k) < units { k += 1 }
        return k
    }

    /// `count << k`, saturating at `UInt64.max`.
    static func spanTimes(_ count: UInt64, _ k: Int) -> UInt64 {
        guard k < 64 else { return count == 0 ? 0 : .max }
        let (v, overflow) = count.multipliedReportingOverflow(by: 1 << UInt64(k))
        return overflow ? .max : v
    }

    /// Clusters per cell (nil for fractional buckets).
    public var clustersPerCell: UInt64? { shift.map { Self.spanTimes(1, $0) } }

    /// "1 cluster/cell", "16 clusters/cell".
    public static func perCellText(_ clusters: UInt64) -> String { "\(clusters) cluster\(clusters == 1 ? "" : "s")/cell" }

    /// Mean clusters per cell (exact when zoomed), for the status bar.
    public var meanClustersPerCell: Double {
        if let c = clustersPerCell { return Double(c) }
        return Double(units) / Double(max(capacity, 1))
    }

    /// Cells that show clusters (the rest of the grid is blank).
    public var cellCount: Int {
        guard units > 0, capacity > 0 else { return 0 }
        guard let shift else { return capacity }
        let remaining = units - min(origin, units)
        let span = Self.spanTimes(1, shift)
        let cells = remaining / span + (remaining % span == 0 ? 0 : 1)
        return Int(min(cells, UInt64(capacity)))
    }

    /// Clusters of cell `index` (empty outside ``cellCount``).
    public func range(ofCell index: Int) -> Range<UInt64> {
        guard index >= 0, index < cellCount else { return units..<units }
        guard let shift else { return boundary(UInt64(index))..<boundary(UInt64(index) + 1) }
        let start = Self.add(origin, Self.spanTimes(UInt64(index), shift))
        return min(start, units)..<min(Self.add(start, Self.spanTimes(1, shift)), units)
    }

    /// The cell showing `cluster`, nil when it is scrolled out of view or past the end.
    public func cell(containing cluster: UInt64) -> Int? {
        guard cluster < units, capacity > 0 else { return nil }
        guard let shift else {
            // Largest b with boundary(b) <= cluster: ((cluster + 1) * C - 1) / units.
            let p = (cluster + 1).multipliedFullWidth(by: UInt64(capacity))
            let (low, borrow) = p.low.subtractingReportingOverflow(1)
            let q = units.dividingFullWidth((high: p.high - (borrow ? 1 : 0), low: low)).quotient
            return Int(min(q, UInt64(capacity - 1)))
        }
        guard cluster >= origin else { return nil }
        let index = (cluster - origin) >> UInt64(shift)
        return index < UInt64(cellCount) ? Int(index) : nil
    }

    /// Every visible cell's cluster range, in cell order (what a view summarises per frame).
    public var cellRanges: [Range<UInt64>] { (0..<cellCount).map(range(ofCell:)) }

    /// The cell under a screen point, for a grid drawn at `rect` with `columnsPerCell`.
    public func cell(at point: Point, gridRect rect: Rect, columnsPerCell: Int) -> Int? {
        guard rect.contains(point) else { return nil }
        let p = Point(x: (point.x - rect.x) / max(1, columnsPerCell), y: point.y - rect.y)
        guard let i = layout.index(at: p, in: gridSize), i < cellCount else { return nil }
        return i
    }

    /// Fitted bucket boundary `b * units / capacity` without overflow.
    private func boundary(_ b: UInt64) -> UInt64 {
        let p = b.multipliedFullWidth(by: units)
        return UInt64(capacity).dividingFullWidth((high: p.high, low: p.low)).quotient
    }

    static func add(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (v, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : v
    }
}
