/// Real colour values, for output that has no terminal to pick them (PNG and SVG pictures).
extension Color {
    /// The colour as 8-bit red, green and blue: xterm's default palette for ANSI and indexed
    /// colours (as ``ColorMode`` maps them), the value itself for a true colour; nil for
    /// ``default``, which only the picture's own foreground and background can stand for.
    public var rgb: (red: UInt8, green: UInt8, blue: UInt8)? {
        switch self {
        case .default: return nil
        case .rgb(let r, let g, let b): return (r, g, b)
        case .ansi, .indexed:
            guard let index = paletteIndex else { return nil }
            let (r, g, b) = Palette.rgb(index)
            return (UInt8(r), UInt8(g), UInt8(b))
        }
    }
}
