/// Multi-line text wrapped at word boundaries to its rectangle's width, with a scroll offset.
///
/// Newlines in the text start new lines; a word longer than the width is broken. ``lines(width:)``
/// exposes the wrapped lines so callers can size popups and clamp scrolling.
public struct Paragraph: Widget, Sendable {
    public var text: String
    public var style: Style
    /// First wrapped line shown.
    public var scrollOffset: Int
    public var alignment: Alignment

    public init(_ text: String, style: Style = .plain, scrollOffset: Int = 0, alignment: Alignment = .left) {
        self.text = text
        self.style = style
        self.scrollOffset = scrollOffset
        self.alignment = alignment
    }

    /// The text wrapped to `width` columns (sanitized first, so the widths are exact).
    public func lines(width: Int) -> [String] { Self.wrap(text, width: width) }

    public func draw(into screen: inout Screen, in rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        let wrapped = lines(width: rect.width)
        let start = min(max(0, scrollOffset), max(0, wrapped.count - 1))
        for (row, line) in wrapped.dropFirst(start).prefix(rect.height).enumerated() {
            screen.put(line, in: rect.row(row), style: style, alignment: alignment, ellipsis: nil)
        }
    }

    /// Greedy word wrap. Runs of spaces between words collapse at a break, not inside a line.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var result: [String] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let clean = TerminalText.sanitized(String(rawLine))
            if clean.isEmpty { result.append(""); continue }
            var line = ""
            for word in clean.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
                var piece = word
                let separator = line.isEmpty ? "" : " "
                if line.count + separator.count + piece.count <= width {
                    line += separator + piece
                    continue
                }
                if !line.isEmpty { result.append(line); line = "" }
                while piece.count > width {
                    result.append(String(piece.prefix(width)))
                    piece = String(piece.dropFirst(width))
                }
                line = piece
            }
            result.append(line)
        }
        return result
    }
}
