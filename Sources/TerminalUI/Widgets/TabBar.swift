/// The top line naming the views with their number keys (` 1 Header  2 Clusters  3 Guest `),
/// the active one highlighted. Fills its whole row; tabs that do not fit are cut.
public struct TabBar: Widget, Sendable {
    public var titles: [String]
    public var active: Int
    public var style: Style
    public var activeStyle: Style
    public var numberStyle: Style

    public init(titles: [String], active: Int, style: Style = .plain,
                activeStyle: Style = Style(attributes: [.reverse, .bold]), numberStyle: Style = .dim) {
        self.titles = titles
        self.active = active
        self.style = style
        self.activeStyle = activeStyle
        self.numberStyle = numberStyle
    }

    /// The column range of each tab in a bar `width` columns wide starting at column 0 (for
    /// mouse clicks). When the tabs do not fit with their usual spacing they are packed (one
    /// blank between them), so every number and title stays whole on an 80-column screen.
    public func tabRanges(width: Int = .max) -> [Range<Int>] {
        let packed = isPacked(width: width)
        var x = 0
        return titles.enumerated().map { i, title in
            let w = TerminalText.width(label(i, title, packed: packed))
            defer { x += w + (packed ? 0 : 1) }
            return x..<(x + w)
        }
    }

    /// Whether the usual spacing (` 1 Header  `) is too wide for `width` columns.
    func isPacked(width: Int) -> Bool {
        let usual = titles.enumerated().reduce(0) { $0 + TerminalText.width(label($1.offset, $1.element, packed: false)) + 1 }
        return usual - 1 > width
    }

    func label(_ i: Int, _ title: String, packed: Bool) -> String { packed ? " \(i + 1) \(title)" : " \(i + 1) \(title) " }

    public func draw(into screen: inout Screen, in rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        screen.fill(rect.row(0), with: Cell(" ", style: style))
        let packed = isPacked(width: rect.width)
        for (i, (title, range)) in zip(titles, tabRanges(width: rect.width)).enumerated() {
            let x = rect.x + range.lowerBound
            let room = rect.maxX - x
            guard room > 0 else { break }
            let isActive = i == active
            let number = isActive ? activeStyle : numberStyle.merged(over: style)
            var used = screen.put(" \(i + 1)", at: Point(x: x, y: rect.y), style: number, maxWidth: room)
            used += screen.put(packed ? " \(title)" : " \(title) ", at: Point(x: x + used, y: rect.y),
                               style: isActive ? activeStyle : style, maxWidth: room - used)
        }
    }
}
