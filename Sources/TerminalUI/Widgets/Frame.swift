/// A box with an optional title in the top border (`┌─ Title ───┐`), drawn on the edge of its
/// rectangle; content goes in ``inner(_:)``.
public struct Frame: Widget, Sendable {
    public var title: String?
    public var style: Style
    public var titleStyle: Style
    public var glyphs: GlyphSet
    /// Whether to blank the inside before drawing the border (popups want this).
    public var clearsInside: Bool

    public init(title: String? = nil, style: Style = .plain, titleStyle: Style = .bold, glyphs: GlyphSet = .unicode,
                clearsInside: Bool = false) {
        self.title = title
        self.style = style
        self.titleStyle = titleStyle
        self.glyphs = glyphs
        self.clearsInside = clearsInside
    }

    /// The content area inside the border.
    public func inner(_ rect: Rect) -> Rect { rect.inset(by: 1) }

    public func draw(into screen: inout Screen, in rect: Rect) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        if clearsInside { screen.fill(inner(rect), with: .blank) }
        let horizontal = String(repeating: glyphs.horizontal, count: rect.width - 2)
        screen.put(String(glyphs.topLeft) + horizontal + String(glyphs.topRight), at: rect.origin, style: style)
        screen.put(String(glyphs.bottomLeft) + horizontal + String(glyphs.bottomRight),
                   at: Point(x: rect.x, y: rect.maxY - 1), style: style)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            screen.put(String(glyphs.vertical), at: Point(x: rect.x, y: y), style: style)
            screen.put(String(glyphs.vertical), at: Point(x: rect.maxX - 1, y: y), style: style)
        }
        if let title, !title.isEmpty, rect.width >= 7 {
            // "┌─ Title ─┐": one border glyph and a space on each side of the title.
            let room = rect.width - 6
            let text = " " + TerminalText.truncated(title, width: room, ellipsis: glyphs.ellipsis) + " "
            screen.put(text, at: Point(x: rect.x + 2, y: rect.y), style: titleStyle)
        }
    }
}
