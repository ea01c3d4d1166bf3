/// A grid of coloured cells, one per bucket, whose glyph density shows how full the bucket is
/// (`░▒▓█` or `.:-=+*#%@`) and whose colour shows its role; the host-cluster map is drawn with it.
///
/// The grid is `gridSize` buckets; each bucket takes `columnsPerCell` terminal columns (2 makes
/// cells look square, since terminal cells are about twice as tall as wide).
public struct HeatmapGrid: Widget, Sendable {
    public var gridSize: Size
    /// Row-major, `gridSize.area` entries (missing or nil entries are drawn blank).
    public var cells: [HeatmapCell?]
    public var columnsPerCell: Int
    /// Row-major index of the cell under the cursor, drawn in reverse video.
    public var selected: Int?
    public var glyphs: GlyphSet

    public init(gridSize: Size, cells: [HeatmapCell?], columnsPerCell: Int = 1, selected: Int? = nil,
                glyphs: GlyphSet = .unicode) {
        self.gridSize = Self.bounded(gridSize)
        self.cells = cells
        self.columnsPerCell = max(1, columnsPerCell)
        self.selected = selected
        self.glyphs = glyphs
    }

    /// The grid of buckets (in bucket units) that fits a rectangle `rect`.
    public static func gridSize(for rect: Rect, columnsPerCell: Int = 1) -> Size {
        Size(width: rect.width / max(1, columnsPerCell), height: rect.height)
    }

    /// Places `buckets` (in disk order) on a grid of `gridSize` with `layout`; buckets past the
    /// layout's capacity are dropped, so size the bucket list with `layout.capacity(in:)`.
    /// `selectedBucket` is translated to the grid cell that shows it.
    public static func arranged(_ buckets: [HeatmapCell], layout: HeatmapLayout, gridSize: Size,
                                columnsPerCell: Int = 1, selectedBucket: Int? = nil,
                                glyphs: GlyphSet = .unicode) -> HeatmapGrid {
        let gridSize = bounded(gridSize)
        var cells = [HeatmapCell?](repeating: nil, count: gridSize.area)
        for (i, bucket) in buckets.prefix(layout.capacity(in: gridSize)).enumerated() {
            if let p = layout.position(of: i, in: gridSize) { cells[p.y * gridSize.width + p.x] = bucket }
        }
        let selected = selectedBucket.flatMap { layout.position(of: $0, in: gridSize) }.map { $0.y * gridSize.width + $0.x }
        return HeatmapGrid(gridSize: gridSize, cells: cells, columnsPerCell: columnsPerCell, selected: selected,
                           glyphs: glyphs)
    }

    /// `size` limited to ``Screen/maximumExtent`` each way, so a grid never allocates more cells
    /// than a screen could show.
    static func bounded(_ size: Size) -> Size {
        Size(width: min(size.width, Screen.maximumExtent), height: min(size.height, Screen.maximumExtent))
    }

    public func draw(into screen: inout Screen, in rect: Rect) {
        let rows = min(gridSize.height, rect.height)
        let columns = min(gridSize.width, rect.width / columnsPerCell)
        guard rows > 0, columns > 0 else { return }
        for y in 0..<rows {
            for x in 0..<columns {
                let index = y * gridSize.width + x
                let cell = index < cells.count ? cells[index] : nil
                var character: Character = " "
                var style = Style.plain
                if let cell {
                    character = cell.glyph ?? glyphs.densityGlyph(cell.level)
                    style = cell.style
                }
                if index == selected {
                    style = style.adding(.reverse)
                    if character == " " { character = glyphs.bullet }
                }
                for k in 0..<columnsPerCell {
                    screen.set(Cell(character, style: style), at: Point(x: rect.x + x * columnsPerCell + k, y: rect.y + y))
                }
            }
        }
    }
}

/// One bucket of a ``HeatmapGrid``.
public struct HeatmapCell: Hashable, Sendable {
    /// The role colour (foreground; the glyph carries the density).
    public var style: Style
    /// How full the bucket is, 0…1 (allocated clusters / clusters in the bucket).
    public var level: Double
    /// A glyph that replaces the density glyph (e.g. `!` for a conflict).
    public var glyph: Character?

    public init(style: Style, level: Double, glyph: Character? = nil) {
        self.style = style
        self.level = level
        self.glyph = glyph
    }
}
