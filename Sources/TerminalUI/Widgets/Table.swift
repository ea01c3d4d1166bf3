/// A scrolling table: a header row, columns with widths and alignment, an optional selected row
/// drawn highlighted, and a scroll offset that is adjusted so the selection stays visible.
///
/// The header fields view, the findings list and the bitmap extents all use this.
public struct Table: Widget, Sendable {
    public var columns: [TableColumn]
    public var rows: [TableRow]
    /// Index into `rows` of the highlighted row, if any.
    public var selection: Int?
    /// The first row the caller last showed; see ``visibleOffset(rowsVisible:)``.
    public var scrollOffset: Int
    public var showsHeader: Bool
    public var headerStyle: Style
    public var selectionStyle: Style
    /// Columns between cells.
    public var columnGap: Int
    public var glyphs: GlyphSet

    public init(columns: [TableColumn], rows: [TableRow], selection: Int? = nil, scrollOffset: Int = 0,
                showsHeader: Bool = true, headerStyle: Style = Style(attributes: [.bold, .underline]),
                selectionStyle: Style = Style(attributes: .reverse), columnGap: Int = 1, glyphs: GlyphSet = .unicode) {
        self.columns = columns
        self.rows = rows
        self.selection = selection
        self.scrollOffset = scrollOffset
        self.showsHeader = showsHeader
        self.headerStyle = headerStyle
        self.selectionStyle = selectionStyle
        self.columnGap = columnGap
        self.glyphs = glyphs
    }

    /// Rows of data that fit in `rect` (its height less the header).
    public func rowsVisible(in rect: Rect) -> Int { max(0, rect.height - (showsHeader ? 1 : 0)) }

    /// The scroll offset to use: `scrollOffset` moved just enough to show the selection, and
    /// clamped so the last page is full. Callers store it back into their state after drawing.
    public func visibleOffset(rowsVisible: Int) -> Int {
        Self.scrollOffset(keeping: selection, previous: scrollOffset, visibleRows: rowsVisible, totalRows: rows.count)
    }

    /// Scroll arithmetic shared by every list: the smallest move of `previous` that keeps
    /// `selection` on screen, clamped to `0…totalRows - visibleRows`.
    public static func scrollOffset(keeping selection: Int?, previous: Int, visibleRows: Int, totalRows: Int) -> Int {
        guard visibleRows > 0, totalRows > 0 else { return 0 }
        var offset = max(0, previous)
        if let selection {
            let s = min(max(0, selection), totalRows - 1)
            if s < offset { offset = s }
            if s >= offset + visibleRows { offset = s - visibleRows + 1 }
        }
        return min(offset, max(0, totalRows - visibleRows))
    }

    /// Column widths for a table `width` wide: fixed columns first, then the rest shared by weight
    /// among flexible ones (each at least its minimum while room lasts).
    public func columnWidths(totalWidth width: Int) -> [Int] {
        let gaps = max(0, columns.count - 1) * max(0, columnGap)
        var remaining = max(0, width - gaps)
        var widths = Array(repeating: 0, count: columns.count)
        for (i, column) in columns.enumerated() {
            if case .fixed(let w) = column.width {
                widths[i] = min(max(0, w), remaining)
                remaining -= widths[i]
            }
        }
        let flexible = columns.indices.compactMap { i -> (Int, Int, Int)? in
            if case .flexible(let minimum, let weight) = columns[i].width { return (i, max(0, minimum), max(1, weight)) }
            return nil
        }
        for (i, minimum, _) in flexible {
            widths[i] = min(minimum, remaining)
            remaining -= widths[i]
        }
        let shares = Rect.divide(remaining, weights: flexible.map { $0.2 })
        for (k, entry) in flexible.enumerated() { widths[entry.0] += shares[k] }
        return widths
    }

    public func draw(into screen: inout Screen, in rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        let visible = rowsVisible(in: rect)
        let offset = visibleOffset(rowsVisible: visible)
        // A scroll bar takes the last column only when rows are hidden.
        let scrolls = ScrollBar.isNeeded(totalRows: rows.count, visibleRows: visible) && rect.width > 1
        let (area, barColumn) = rect.splitRight(scrolls ? 1 : 0)
        let widths = columnWidths(totalWidth: area.width)
        var body = area
        if showsHeader {
            let header = area.splitTop(1)
            drawRow(columns.map { TableCell($0.title) }, widths: widths, in: header.top, rowStyle: headerStyle, into: &screen)
            body = header.rest
        }
        for (line, index) in (offset..<min(rows.count, offset + visible)).enumerated() {
            let row = rows[index]
            let selected = index == selection
            drawRow(row.cells, widths: widths, in: body.row(line),
                    rowStyle: selected ? selectionStyle.merged(over: row.style) : row.style, into: &screen,
                    highlight: selected ? selectionStyle : nil)
        }
        if scrolls {
            ScrollBar(totalRows: rows.count, visibleRows: visible, offset: offset, glyphs: glyphs)
                .draw(into: &screen, in: Rect(x: barColumn.x, y: body.y, width: 1, height: body.height))
        }
    }

    private func drawRow(_ cells: [TableCell], widths: [Int], in rect: Rect, rowStyle: Style, into screen: inout Screen,
                         highlight: Style? = nil) {
        guard rect.height > 0 else { return }
        screen.fill(rect, with: Cell(" ", style: rowStyle))
        var x = rect.x
        for (i, column) in columns.enumerated() {
            let cell = i < cells.count ? cells[i] : TableCell("")
            var style = cell.style.map { $0.merged(over: rowStyle) } ?? rowStyle
            if let highlight { style = highlight.merged(over: style) }
            screen.put(cell.text, in: Rect(x: x, y: rect.y, width: widths[i], height: 1), style: style,
                       alignment: column.alignment, ellipsis: glyphs.ellipsis)
            x += widths[i] + columnGap
        }
    }
}

extension Style {
    /// `self` laid over `base`: non-default colours of `self` win, attributes add up.
    public func merged(over base: Style) -> Style {
        Style(foreground: foreground == .default ? base.foreground : foreground,
              background: background == .default ? base.background : background,
              attributes: attributes.union(base.attributes))
    }
}
