/// What a terminal can show, and how a requested ``Style`` degrades to it.
///
/// Views ask for any colour; the backend (and the dumps) pass styles through ``resolve(_:)`` so a
/// view never needs to know the terminal. Monochrome keeps meaning through attributes: anything
/// that had a background colour (a selection bar, a filled progress bar) becomes reverse video.
public enum ColorMode: String, Hashable, Sendable, CaseIterable {
    /// No colours (NO_COLOR, `--no-color`, or a terminal without colour): attributes only.
    case none
    /// The 8 basic colours; bright colours become bold, palette colours the nearest basic one.
    case eight
    /// The xterm 256-colour palette; true colours map to the nearest entry.
    case full256

    /// The style as this mode can show it.
    public func resolve(_ style: Style) -> Style {
        switch self {
        case .full256:
            return Style(foreground: Self.to256(style.foreground), background: Self.to256(style.background),
                         attributes: style.attributes)
        case .eight:
            var attributes = style.attributes
            let fg = Self.to8(style.foreground)
            if fg.bright { attributes.insert(.bold) }
            return Style(foreground: fg.color, background: Self.to8(style.background).color, attributes: attributes)
        case .none:
            var attributes = style.attributes
            if style.background != .default { attributes.insert(.reverse) }
            return Style(attributes: attributes)
        }
    }

    static func to256(_ color: Color) -> Color {
        switch color {
        case .default, .ansi, .indexed: return color
        case .rgb: return color.paletteIndex.map { .indexed(UInt8($0)) } ?? .default
        }
    }

    /// The basic colour for `color`, and whether it was a bright one (shown as bold).
    static func to8(_ color: Color) -> (color: Color, bright: Bool) {
        guard let index = color.paletteIndex else { return (.default, false) }
        let bright = (8..<16).contains(index)
        return (.ansi(UInt8(Palette.basicIndex(for: index))), bright)
    }
}
