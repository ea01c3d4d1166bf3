/// The bottom line: text on the left, key hints in the middle (`q quit  ? help`, keys
/// highlighted as in htop), and text on the right (position, image name). Fills its whole row.
public struct StatusBar: Widget, Sendable {
    public var left: String
    public var right: String
    public var hints: [KeyHint]
    public var style: Style
    public var keyStyle: Style

    public init(left: String = "", right: String = "", hints: [KeyHint] = [],
                style: Style = Style(attributes: .reverse), keyStyle: Style = Style(attributes: [.reverse, .bold])) {
        self.left = left
        self.right = right
        self.hints = hints
        self.style = style
        self.keyStyle = keyStyle
    }

    public func draw(into screen: inout Screen, in rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        let line = rect.row(0)
        screen.fill(line, with: Cell(" ", style: style))
        let rightText = TerminalText.truncated(right, width: max(0, rect.width / 2))
        let rightStart = line.maxX - rightText.count - (rightText.isEmpty ? 0 : 1)
        var x = line.x + 1
        if !left.isEmpty {
            x += screen.put(left, at: Point(x: x, y: line.y), style: style, maxWidth: max(0, rightStart - x - 1)) + 2
        }
        for hint in hints {
            let needed = TerminalText.width(hint.key) + 1 + TerminalText.width(hint.action)
            guard x + needed < rightStart else { break }
            x += screen.put(hint.key, at: Point(x: x, y: line.y), style: keyStyle)
            x += screen.put(" " + hint.action, at: Point(x: x, y: line.y), style: style) + 2
        }
        if !rightText.isEmpty { screen.put(rightText, at: Point(x: rightStart, y: line.y), style: style) }
    }
}

/// A key and what it does, for the status bar and the help overlay.
public struct KeyHint: Hashable, Sendable {
    public var key: String
    public var action: String

    public init(_ key: String, _ action: String) {
        self.key = key
        self.action = action
    }
}
