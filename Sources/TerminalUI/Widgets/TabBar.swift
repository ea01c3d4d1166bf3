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

    /// The column range of each tab in a bar starting at column 0 (for mouse clicks).
    public func tabRanges() -> [Range<Int>] {
        var x = 0
        return titles.enumerated().map { i, title in
            let w = TerminalText.width(" \(i + 1) \(title) ")
            defer { x += w + 1 }
            return x..<(x + w)
        }
    }

    public func draw(into screen: inout Screen, in rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        screen.fill(rect.row(0), with: Cell(" ", style: style))
        for (i, (title, range)) in zip(titles, tabRanges()).enumerated() {
            let x = rect.x + range.lowerBound
            let room = rect.maxX - x
            guard room > 0 else { break }
            let isActive = i == active
            let number = isActive ? activeStyle : numberStyle.merged(over: style)
            var used = screen.put(" \(i + 1)", at: Point(x: x, y: rect.y), style: number, maxWidth: room)
            used += screen.put(" \(title) ", at: Point(x: x + used, y: rect.y), style: isActive ? activeStyle : style,
                               maxWidth: room - used)
        }
    }
}
