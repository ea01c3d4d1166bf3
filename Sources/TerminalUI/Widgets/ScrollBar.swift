/// A one-column vertical scroll bar: a dim track with a thumb whose size and position show which
/// part of a long list is on screen. Lists reserve its column only when they overflow, so it
/// never hides content.
public struct ScrollBar: Widget, Sendable {
    public var totalRows: Int
    public var visibleRows: Int
    public var offset: Int
    public var trackStyle: Style
    public var thumbStyle: Style
    public var glyphs: GlyphSet

    public init(totalRows: Int, visibleRows: Int, offset: Int, trackStyle: Style = .dim, thumbStyle: Style = .plain,
                glyphs: GlyphSet = .unicode) {
        self.totalRows = totalRows
        self.visibleRows = visibleRows
        self.offset = offset
        self.trackStyle = trackStyle
        self.thumbStyle = thumbStyle
        self.glyphs = glyphs
    }

    /// Whether a list of `totalRows` overflows `visibleRows` and so needs a bar.
    public static func isNeeded(totalRows: Int, visibleRows: Int) -> Bool { totalRows > visibleRows && visibleRows > 0 }

    /// The thumb's rows within a track `height` tall: at least one row, at the bottom exactly
    /// when the last row is visible.
    public func thumb(height: Int) -> Range<Int> {
        guard height > 0, totalRows > 0 else { return 0..<0 }
        let total = Double(max(totalRows, visibleRows))
        let size = max(1, min(height, Int((Double(height) * Double(visibleRows) / total).rounded())))
        let maxOffset = max(1, totalRows - visibleRows)
        let clamped = min(max(0, offset), maxOffset)
        let start = Int((Double(height - size) * Double(clamped) / Double(maxOffset)).rounded())
        return start..<(start + size)
    }

    public func draw(into screen: inout Screen, in rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        let thumbRows = thumb(height: rect.height)
        for row in 0..<rect.height {
            let inThumb = thumbRows.contains(row)
            screen.set(Cell(inThumb ? glyphs.fullBlock : glyphs.vertical, style: inThumb ? thumbStyle : trackStyle),
                       at: Point(x: rect.maxX - 1, y: rect.y + row))
        }
    }
}
