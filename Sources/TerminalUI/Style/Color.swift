/// A terminal colour as a view asks for it. What actually reaches the terminal depends on the
/// ``ColorMode`` (a 256-colour request is mapped to the nearest of 8 on a basic terminal, and
/// dropped on a monochrome one).
public enum Color: Hashable, Sendable, CustomStringConvertible {
    /// The terminal's own foreground or background (curses colour -1 after `use_default_colors`).
    case `default`
    /// One of the 16 ANSI colours: 0–7 normal, 8–15 bright. Values above 15 are clamped.
    case ansi(UInt8)
    /// An xterm 256-colour palette index: 0–15 ANSI, 16–231 a 6×6×6 cube, 232–255 greys.
    case indexed(UInt8)
    /// A true colour; terminals here get the nearest 256-palette entry (see ``paletteIndex``).
    case rgb(UInt8, UInt8, UInt8)

    public static let black = Color.ansi(0)
    public static let red = Color.ansi(1)
    public static let green = Color.ansi(2)
    public static let yellow = Color.ansi(3)
    public static let blue = Color.ansi(4)
    public static let magenta = Color.ansi(5)
    public static let cyan = Color.ansi(6)
    public static let white = Color.ansi(7)
    public static let brightBlack = Color.ansi(8)
    public static let brightRed = Color.ansi(9)
    public static let brightGreen = Color.ansi(10)
    public static let brightYellow = Color.ansi(11)
    public static let brightBlue = Color.ansi(12)
    public static let brightMagenta = Color.ansi(13)
    public static let brightCyan = Color.ansi(14)
    public static let brightWhite = Color.ansi(15)

    /// The xterm palette index for this colour, or nil for ``default``.
    public var paletteIndex: Int? {
        switch self {
        case .default: return nil
        case .ansi(let n): return Int(min(n, 15))
        case .indexed(let n): return Int(n)
        case .rgb(let r, let g, let b): return Palette.nearestIndex(r: r, g: g, b: b)
        }
    }

    public var description: String {
        switch self {
        case .default: return "default"
        case .ansi(let n): return "ansi(\(n))"
        case .indexed(let n): return "indexed(\(n))"
        case .rgb(let r, let g, let b): return "rgb(\(r),\(g),\(b))"
        }
    }
}
