/// Plain-text, style-mask and ANSI renderings of a ``Screen``, for golden tests and debugging.
extension Screen {
    /// The characters of every row, trailing spaces trimmed, rows joined by newlines (no escape
    /// sequences). Trailing empty rows are kept so the height stays visible in a golden file.
    public func textDump() -> String {
        (0..<size.height).map { y in
            var line = String(row(y).map(\.character))
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// A style mask: one letter per cell naming its style class, then a legend.
    ///
    /// The plain style is `.`; other styles get `A`, `B`, … in order of first appearance
    /// (row-major), and the legend lists each letter's style after a blank line. Styles are first
    /// passed through `mode` (so a golden can pin what a monochrome terminal shows). Trailing plain
    /// cells are trimmed like ``textDump()``.
    public func styleDump(mode: ColorMode = .full256) -> String {
        var letters: [Style: Character] = [:]
        var legend: [String] = []
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var lines: [String] = []
        for y in 0..<size.height {
            var line = ""
            for cell in row(y) {
                let style = mode.resolve(cell.style)
                if style == .plain { line.append("."); continue }
                if let letter = letters[style] { line.append(letter); continue }
                let letter = letters.count < alphabet.count ? alphabet[letters.count] : "?"
                if letter != "?" {
                    letters[style] = letter
                    legend.append("\(letter) \(style)")
                }
                line.append(letter)
            }
            while line.last == "." { line.removeLast() }
            lines.append(line)
        }
        return (lines + [""] + legend).joined(separator: "\n")
    }

    /// The screen as text with SGR escape sequences (styles passed through `mode`), each row
    /// ending in a reset. For debugging and colour tests.
    public func ansiDump(mode: ColorMode = .full256) -> String {
        (0..<size.height).map { y in
            var line = ""
            var current: Style? = nil
            for cell in row(y) {
                let style = mode.resolve(cell.style)
                if style != current {
                    line += Self.sgr(for: style)
                    current = style
                }
                line.append(cell.character)
            }
            return line + "\u{1B}[0m"
        }.joined(separator: "\n")
    }

    /// The SGR sequence selecting `style` from a reset state.
    public static func sgr(for style: Style) -> String {
        var codes = ["0"]
        if style.attributes.contains(.bold) { codes.append("1") }
        if style.attributes.contains(.dim) { codes.append("2") }
        if style.attributes.contains(.underline) { codes.append("4") }
        if style.attributes.contains(.reverse) { codes.append("7") }
        codes += sgrColor(style.foreground, background: false)
        codes += sgrColor(style.background, background: true)
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    static func sgrColor(_ color: Color, background: Bool) -> [String] {
        guard let index = color.paletteIndex else { return [] }
        switch index {
        case 0..<8: return [String((background ? 40 : 30) + index)]
        case 8..<16: return [String((background ? 100 : 90) + index - 8)]
        default: return [background ? "48" : "38", "5", String(index)]
        }
    }
}
