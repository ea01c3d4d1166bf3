/// A box centred over the screen (help, the goto prompt, an error): clears its area, draws a
/// titled ``Frame`` and its content inside it.
///
/// The size asked for is clamped to the screen, less a one-cell margin when there is room.
public struct Popup: Widget {
    public var title: String?
    public var size: Size
    public var content: (any Widget)?
    public var frameStyle: Style
    public var glyphs: GlyphSet

    public init(title: String? = nil, size: Size, content: (any Widget)? = nil, frameStyle: Style = .bold,
                glyphs: GlyphSet = .unicode) {
        self.title = title
        self.size = size
        self.content = content
        self.frameStyle = frameStyle
        self.glyphs = glyphs
    }

    /// The popup's outer rectangle inside `rect`.
    public func frameRect(in rect: Rect) -> Rect {
        let room = rect.width > 4 && rect.height > 4 ? rect.inset(by: 1) : rect
        return room.centered(size)
    }

    /// Where the content goes (inside the border, one column of padding each side).
    public func contentRect(in rect: Rect) -> Rect {
        frameRect(in: rect).inset(top: 1, left: 2, bottom: 1, right: 2)
    }

    /// A size that fits `lines` of text under `title`, with border and padding.
    public static func fitting(lines: [String], title: String? = nil, minimumWidth: Int = 20) -> Size {
        let widest = max(lines.map(TerminalText.width).max() ?? 0, TerminalText.width(title ?? "") + 4, minimumWidth)
        return Size(width: widest + 4, height: lines.count + 2)
    }

    public func draw(into screen: inout Screen, in rect: Rect) {
        let outer = frameRect(in: rect)
        guard !outer.isEmpty else { return }
        screen.fill(outer, with: .blank)
        Frame(title: title, style: frameStyle, titleStyle: frameStyle, glyphs: glyphs).draw(into: &screen, in: outer)
        content?.draw(into: &screen, in: contentRect(in: rect))
    }
}
