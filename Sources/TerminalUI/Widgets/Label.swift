/// One line of text, aligned in its rectangle's first row and cut with an ellipsis when too long.
public struct Label: Widget, Sendable {
    public var text: String
    public var style: Style
    public var alignment: Alignment
    public var ellipsis: Character?

    public init(_ text: String, style: Style = .plain, alignment: Alignment = .left, ellipsis: Character? = "…") {
        self.text = text
        self.style = style
        self.alignment = alignment
        self.ellipsis = ellipsis
    }

    public func draw(into screen: inout Screen, in rect: Rect) {
        screen.put(text, in: rect.row(0), style: style, alignment: alignment, ellipsis: ellipsis)
    }
}

/// Styled pieces of text laid side by side on one line (a key in bold, then its meaning).
public struct StyledLine: Widget, Sendable {
    public var spans: [(text: String, style: Style)]

    public init(_ spans: [(String, Style)]) { self.spans = spans.map { (text: $0.0, style: $0.1) } }

    public func draw(into screen: inout Screen, in rect: Rect) {
        guard rect.height > 0 else { return }
        var x = rect.x
        for span in spans {
            let room = rect.maxX - x
            if room <= 0 { break }
            x += screen.put(span.text, at: Point(x: x, y: rect.y), style: span.style, maxWidth: room)
        }
    }
}
