/// A bitmap font of fixed cells, as the terminal draws text: one glyph per character, each
/// `width × height` pixels. The glyphs are compiled in (``misc9x18``, generated from a Debian
/// font by `scripts/make-font-table.py`), so pictures need no font engine and no font file.
public struct CellFont: Sendable {
    public let width: Int
    public let height: Int
    /// Row masks of every glyph, `height` per glyph; the leftmost pixel is bit `width - 1`.
    private let rows: [UInt16]
    /// Where each code point's rows start in ``rows``.
    private let starts: [UInt32: Int]

    /// Parses the generated table: one glyph per line, the code point then `height` hex rows.
    /// Lines that do not parse are skipped (the table is generated, not typed).
    init(width: Int, height: Int, table: String) {
        self.width = width
        self.height = height
        var rows: [UInt16] = []
        var starts: [UInt32: Int] = [:]
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == height + 1, let code = UInt32(fields[0], radix: 16) else { continue }
            let masks = fields.dropFirst().compactMap { UInt16($0, radix: 16) }
            guard masks.count == height else { continue }
            starts[code] = rows.count
            rows += masks
        }
        self.rows = rows
        self.starts = starts
    }

    /// The default font: X11's misc-fixed 9×18 (public domain).
    public static var standard: CellFont { misc9x18 }

    /// Whether the font has a glyph for `character` (a single code point it covers).
    public func covers(_ character: Character) -> Bool { start(of: character) != nil }

    private func start(of character: Character) -> Int? {
        let scalars = character.unicodeScalars
        guard scalars.count == 1, let scalar = scalars.first else { return nil }
        return starts[scalar.value]
    }

    /// Whether pixel `(x, y)` of `character`'s glyph is set; nil when the font lacks the glyph.
    public func pixel(_ character: Character, x: Int, y: Int) -> Bool? {
        guard let start = start(of: character) else { return nil }
        guard x >= 0, x < width, y >= 0, y < height else { return false }
        return rows[start + y] >> (width - 1 - x) & 1 == 1
    }

    /// Draws `character` in `color` with its cell's top-left at `(x, y)`. Bold strikes the glyph
    /// twice, one pixel apart (as terminals without a bold font do); a character the font lacks
    /// is drawn as a hollow box, so it is visibly not a space.
    public func draw(_ character: Character, x: Int, y: Int, color: RGB, bold: Bool = false, into raster: inout Raster) {
        if character == " " { return }
        guard let start = start(of: character) else {
            drawReplacement(x: x, y: y, color: color, into: &raster)
            return
        }
        for row in 0..<height {
            var mask = Int(rows[start + row])
            if bold { mask |= mask >> 1 }
            guard mask != 0 else { continue }
            for column in 0..<width where mask >> (width - 1 - column) & 1 == 1 {
                raster.set(x + column, y + row, color)
            }
        }
    }

    /// A box one pixel in from the cell's sides and a quarter of the cell from top and bottom.
    private func drawReplacement(x: Int, y: Int, color: RGB, into raster: inout Raster) {
        let top = y + height / 4, bottom = y + height - height / 4 - 1
        let left = x + 1, right = x + width - 2
        for column in left...right {
            raster.set(column, top, color)
            raster.set(column, bottom, color)
        }
        for row in top...bottom {
            raster.set(left, row, color)
            raster.set(right, row, color)
        }
    }

    /// Draws `text` from `(x, y)`, one cell per character; returns the x after the last cell.
    @discardableResult
    public func draw(_ text: String, x: Int, y: Int, color: RGB, into raster: inout Raster) -> Int {
        var column = x
        for character in text {
            draw(character, x: column, y: y, color: color, into: &raster)
            column += width
        }
        return column
    }
}
