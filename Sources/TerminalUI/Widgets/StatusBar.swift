/// The bottom line: text on the left, key hints in the middle (`+/- zoom  ? help  q quit`, keys
/// highlighted as in htop), and text on the right (view, image name). Fills its whole row. When
/// the row is short, the hints go first, then the right text, then the end of the left text; the
/// pinned hints (`? help`, `q quit`) always stay.
public struct StatusBar: Widget, Sendable {
    public var left: String
    public var right: String
    public var hints: [KeyHint]
    /// Hints that are never dropped (`? help`, `q quit`): drawn after ``hints``, which give way
    /// first, then the left text is cut to make room for them.
    public var pinned: [KeyHint]
    public var style: Style
    public var keyStyle: Style

    public init(left: String = "", right: String = "", hints: [KeyHint] = [], pinned: [KeyHint] = [],
                style: Style = Style(attributes: .reverse), keyStyle: Style = Style(attributes: [.reverse, .bold])) {
        self.left = left
        self.right = right
        self.hints = hints
        self.pinned = pinned
        self.style = style
        self.keyStyle = keyStyle
    }

    public func draw(into screen: inout Screen, in rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        let line = rect.row(0)
        screen.fill(line, with: Cell(" ", style: style))
        let pinnedWidth = pinned.reduce(0) { $0 + Self.width($1) }
        // What gives way first: hints, then the right text, then the left; never the pinned hints.
        let leftWidth = left.isEmpty ? 0 : TerminalText.width(left) + 2
        let rightRoom = min(rect.width / 2, max(0, rect.width - 2 - pinnedWidth - leftWidth))
        let rightText = rightRoom < min(8, TerminalText.width(right)) ? "" : TerminalText.truncated(right, width: rightRoom)
        let rightStart = line.maxX - rightText.count - (rightText.isEmpty ? 0 : 1)
        let hintsEnd = rightStart - pinnedWidth
        var x = line.x + 1
        if !left.isEmpty {
            x += screen.put(left, at: Point(x: x, y: line.y), style: style, maxWidth: max(0, hintsEnd - x - 1)) + 2
        }
        for hint in hints {
            guard x + Self.width(hint) <= hintsEnd else { break }
            x = put(hint, at: x, y: line.y, into: &screen)
        }
        x = min(x, max(line.x, hintsEnd))
        for hint in pinned where x + Self.width(hint) - 2 <= rightStart {
            x = put(hint, at: x, y: line.y, into: &screen)
        }
        if !rightText.isEmpty { screen.put(rightText, at: Point(x: rightStart, y: line.y), style: style) }
    }

    /// Columns a hint takes, with the two blanks after it.
    static func width(_ hint: KeyHint) -> Int { TerminalText.width(hint.key) + 1 + TerminalText.width(hint.action) + 2 }

    private func put(_ hint: KeyHint, at x: Int, y: Int, into screen: inout Screen) -> Int {
        var x = x
        x += screen.put(hint.key, at: Point(x: x, y: y), style: keyStyle)
        return x + screen.put(" " + hint.action, at: Point(x: x, y: y), style: style) + 2
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
