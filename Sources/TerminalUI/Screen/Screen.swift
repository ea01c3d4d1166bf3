/// The in-memory cell grid every view draws into.
///
/// Views never talk to the terminal: they fill a `Screen`, and a ``TerminalBackend`` shows it
/// (curses in the app, ``HeadlessBackend`` in tests). All writes are clipped to the grid, so a
/// widget given a wrong rectangle loses text but never corrupts memory or the terminal.
public struct Screen: Hashable, Sendable {
    public private(set) var size: Size
    /// Row-major cells, `size.area` of them.
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should be shown (a text field sets it); nil hides the cursor.
    public var cursor: Point?
    /// Everything written is turned into ASCII (``ASCIIText``): `--ascii` and non-UTF-8 locales.
    public var asciiOnly = false

    /// The largest extent a screen (or a heatmap grid) will allocate in either direction, a guard
    /// against absurd sizes from a terminal or a caller: 2048 columns or rows.
    public static let maximumExtent = 2048

    public init(size: Size, fill: Cell = .blank) {
        let clamped = Size(width: min(size.width, Self.maximumExtent), height: min(size.height, Self.maximumExtent))
        self.size = clamped
        self.cells = Array(repeating: fill, count: clamped.area)
    }

    public init(width: Int, height: Int) {
        self.init(size: Size(width: width, height: height))
    }

    public var width: Int { size.width }
    public var height: Int { size.height }
    /// The whole grid as a rectangle at the origin.
    public var bounds: Rect { Rect(origin: .zero, size: size) }

    /// The cell at `point`, or nil outside the grid.
    public subscript(point: Point) -> Cell? {
        guard bounds.contains(point) else { return nil }
        return cells[point.y * size.width + point.x]
    }

    public subscript(x: Int, y: Int) -> Cell? { self[Point(x: x, y: y)] }

    /// The cells of row `y` (empty outside the grid).
    public func row(_ y: Int) -> ArraySlice<Cell> {
        guard y >= 0, y < size.height else { return [] }
        return cells[(y * size.width)..<((y + 1) * size.width)]
    }

    /// Sets one cell; ignored outside the grid. Characters that are not single-column are stored
    /// as `?` (use ``put(_:at:style:maxWidth:)`` to get them escaped in full).
    public mutating func set(_ cell: Cell, at point: Point) {
        guard bounds.contains(point) else { return }
        var stored = cell
        if !TerminalText.isSingleColumn(stored.character) { stored.character = "?" }
        if asciiOnly { stored.character = ASCIIText.character(stored.character) }
        cells[point.y * size.width + point.x] = stored
    }

    /// Blanks every cell and hides the cursor.
    public mutating func clear(_ cell: Cell = .blank) {
        for i in cells.indices { cells[i] = cell }
        cursor = nil
    }

    /// Fills the part of `rect` that lies on the grid with `cell`.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        var stored = cell
        if !TerminalText.isSingleColumn(stored.character) { stored.character = "?" }
        if asciiOnly { stored.character = ASCIIText.character(stored.character) }
        for y in area.y..<area.maxY {
            let base = y * size.width
            for x in area.x..<area.maxX { cells[base + x] = stored }
        }
    }

    /// Changes the style of the cells in `rect`, keeping their characters (selection highlights).
    public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.y..<area.maxY {
            let base = y * size.width
            for x in area.x..<area.maxX { cells[base + x].style = transform(cells[base + x].style) }
        }
    }

    /// Writes `text` on one row from `point`, one column per character, clipped to the grid and to
    /// `maxWidth` columns. Text is passed through ``TerminalText/sanitized(_:)`` first, so control,
    /// wide and zero-width characters appear escaped. Returns the number of columns the text
    /// advanced (including clipped ones), so callers can place the next piece.
    @discardableResult
    public mutating func put(_ text: String, at point: Point, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        let limit = maxWidth.map { max(0, $0) } ?? Int.max
        let text = asciiOnly ? ASCIIText.transliterated(text) : text
        if TerminalText.isSimple(text) {
            // Fast path: one scalar per column, no grapheme breaking needed.
            return put(scalars: text.unicodeScalars, at: point, style: style, limit: limit)
        }
        let clean = TerminalText.sanitized(text)
        var column = point.x
        var written = 0
        guard point.y >= 0, point.y < size.height else { return min(clean.count, limit) }
        let base = point.y * size.width
        for character in clean {
            if written >= limit { break }
            if column >= size.width { written += 1; column += 1; continue }
            if column >= 0 { cells[base + column] = Cell(character, style: style) }
            column += 1
            written += 1
        }
        return written
    }

    private mutating func put(scalars: String.UnicodeScalarView, at point: Point, style: Style, limit: Int) -> Int {
        let total = min(scalars.count, limit)
        guard point.y >= 0, point.y < size.height else { return total }
        let base = point.y * size.width
        var column = point.x
        for scalar in scalars.prefix(total) {
            if column >= size.width { break }
            if column >= 0 { cells[base + column] = Cell(Character(scalar), style: style) }
            column += 1
        }
        return total
    }

    /// Writes `text` in `rect`'s first row, aligned and cut (with `ellipsis`) to the rect width.
    public mutating func put(_ text: String, in rect: Rect, style: Style = .plain, alignment: Alignment = .left,
                             ellipsis: Character? = "…") {
        guard rect.height > 0, rect.width > 0 else { return }
        let text = asciiOnly ? ASCIIText.transliterated(text) : text
        let ellipsis = asciiOnly ? ellipsis.map(ASCIIText.character) : ellipsis
        let line = TerminalText.padded(text, width: rect.width, alignment: alignment, ellipsis: ellipsis)
        put(line, at: rect.origin, style: style, maxWidth: rect.width)
    }
}
