/// Text for terminals that show ASCII only (`--ascii`, `render --ascii`, a non-UTF-8 locale such
/// as `LANG=C`, where ncurses would print a multi-byte character as stray `M-b` letters).
///
/// Views write their usual punctuation (`·`, `–`, `…`, `≈`, `↑↓`, `≠`, box drawing); a screen
/// with ``Screen/asciiOnly`` set passes every string and cell through here, so nothing outside
/// printable ASCII reaches the terminal and each mark keeps a readable ASCII form.
public enum ASCIIText {
    /// The ASCII form of the non-ASCII characters the views draw.
    static let replacements: [Character: String] = [
        "·": "|", "•": "*", "●": "*", "○": "o", "–": "-", "—": "--", "…": "...", "≈": "~", "≠": "!=",
        "≥": ">=", "≤": "<=", "±": "+/-", "×": "x", "÷": "/", "↑": "^", "↓": "v", "←": "<", "→": "->", "↔": "<->",
        "│": "|", "─": "-", "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+",
        "╳": "x", "█": "#", "▉": "#", "▊": "#", "▋": "#", "▌": "#", "▍": "#", "▎": "#", "▏": "#",
        "▓": "%", "▒": "=", "░": ":", "▪": "*", "■": "#", "□": "o", "✓": "ok", "✗": "x", "²": "2", "³": "3",
        "“": "\"", "”": "\"", "‘": "'", "’": "'", "«": "<<", "»": ">>", "\u{00A0}": " ",
    ]

    /// `text` with every non-ASCII character replaced by its ASCII form (`?` when it has none).
    public static func transliterated(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text { out += form(of: character) }
        return out
    }

    /// One cell's character in ASCII: the first character of its ASCII form.
    public static func character(_ character: Character) -> Character {
        if let ascii = character.asciiValue, ascii < 0x80 { return character }
        return form(of: character).first ?? "?"
    }

    static func form(of character: Character) -> String {
        if character.isASCII { return String(character) }
        return replacements[character] ?? "?"
    }
}
