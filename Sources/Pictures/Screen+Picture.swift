import TerminalUI

/// A screen as a picture: what the explorer would show on a terminal, for bug reports and
/// documentation, without one.
extension Screen {
    /// The screen drawn cell by cell in `font`: each cell's background, then its glyph in the
    /// foreground colour (bold struck twice, underline as the cell's second-lowest row).
    public func picture(font: CellFont = .standard, colors: ScreenColors = .dark) -> Raster {
        var raster = Raster(width: width * font.width, height: height * font.height, fill: colors.background)
        for y in 0..<height {
            for (x, cell) in row(y).enumerated() {
                let (fg, bg) = colors.resolve(cell.style)
                let left = x * font.width, top = y * font.height
                if bg != colors.background { raster.fill(x: left, y: top, width: font.width, height: font.height, bg) }
                font.draw(cell.character, x: left, y: top, color: fg, bold: cell.style.attributes.contains(.bold),
                          into: &raster)
                if cell.style.attributes.contains(.underline) {
                    raster.fill(x: left, y: top + font.height - 2, width: font.width, height: 1, fg)
                }
            }
        }
        return raster
    }

    /// The screen as a PNG file (``picture(font:colors:)`` encoded by ``PNG``).
    public func png(font: CellFont = .standard, colors: ScreenColors = .dark) throws(PNG.EncodeError) -> [UInt8] {
        try PNG.encode(picture(font: font, colors: colors))
    }
}
