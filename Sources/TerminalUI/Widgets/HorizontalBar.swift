/// An ncdu-style bar showing a fraction of its width filled, with eighth-of-a-cell precision in
/// Unicode (`█████▍   `) and whole cells in ASCII (`#####    `).
///
/// Used for snapshot sizes in the tree, histogram rows and the coverage of a bitmap.
public struct HorizontalBar: Widget, Sendable {
    public var fraction: Double
    public var style: Style
    /// Style of the unfilled part (blank cells; give it a background to show the track).
    public var trackStyle: Style
    public var glyphs: GlyphSet

    public init(fraction: Double, style: Style = .plain, trackStyle: Style = .plain, glyphs: GlyphSet = .unicode) {
        self.fraction = fraction
        self.style = style
        self.trackStyle = trackStyle
        self.glyphs = glyphs
    }

    /// The bar as characters for `width` columns: full cells, one partial cell, then blanks.
    /// NaN and negatives draw empty; above 1 draws full.
    public func cells(width: Int) -> [Character] {
        guard width > 0 else { return [] }
        let clamped = fraction.isNaN ? 0 : min(max(fraction, 0), 1)
        let eighths = Int((clamped * Double(width) * 8).rounded())
        let full = min(width, eighths / 8)
        var result = Array(repeating: glyphs.fullBlock, count: full)
        if full < width, let partial = glyphs.partial(eighths % 8) {
            result.append(partial)
        } else if full < width, !glyphs.hasPartialBlocks, eighths % 8 >= 4 {
            // ASCII: round half a cell or more up to a full mark.
            result.append(glyphs.fullBlock)
        }
        result += Array(repeating: " ", count: width - result.count)
        return result
    }

    public func draw(into screen: inout Screen, in rect: Rect) {
        guard rect.height > 0 else { return }
        let glyphsRow = cells(width: rect.width)
        for (i, character) in glyphsRow.enumerated() {
            let filled = character != " "
            screen.set(Cell(character, style: filled ? style : trackStyle), at: Point(x: rect.x + i, y: rect.y))
        }
    }
}
