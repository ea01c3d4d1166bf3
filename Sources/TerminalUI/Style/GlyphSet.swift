/// The characters widgets draw with: Unicode block elements and box drawing, or an ASCII
/// fallback for terminals whose locale is not UTF-8 (see `CursesTerminal.isUTF8Locale`).
///
/// Widgets take a `GlyphSet` instead of hard-coding characters, so a whole app switches with one
/// value and golden tests can pin either form.
public struct GlyphSet: Hashable, Sendable {
    // Box drawing.
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    public var teeRight: Character  // ├
    public var teeLeft: Character  // ┤

    // Trees (snapshot tree): each is two columns wide.
    public var treeBranch: String  // "├─"
    public var treeLast: String  // "└─"
    public var treeContinue: String  // "│ "
    public var treeSpace: String  // "  "

    // Arrows and marks.
    public var arrowUp: Character
    public var arrowDown: Character
    public var arrowLeft: Character
    public var arrowRight: Character
    public var ellipsis: Character
    public var bullet: Character
    public var swatch: Character

    /// Bar fill from one eighth to a full cell (index 0 = 1/8 … 7 = 8/8). ASCII has no partial
    /// cells, so its partial entries are blanks and only full cells count.
    public var eighths: [Character]
    /// Density ramp for heatmaps, from empty (index 0, a blank) to full.
    public var density: [Character]

    /// The full-cell bar glyph.
    public var fullBlock: Character { eighths.last ?? "#" }

    public static let unicode = GlyphSet(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        teeRight: "├", teeLeft: "┤",
        treeBranch: "├─", treeLast: "└─", treeContinue: "│ ", treeSpace: "  ",
        arrowUp: "↑", arrowDown: "↓", arrowLeft: "←", arrowRight: "→", ellipsis: "…", bullet: "•", swatch: "█",
        eighths: ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"],
        density: [" ", "░", "▒", "▓", "█"])

    public static let ascii = GlyphSet(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        teeRight: "+", teeLeft: "+",
        treeBranch: "|-", treeLast: "`-", treeContinue: "| ", treeSpace: "  ",
        arrowUp: "^", arrowDown: "v", arrowLeft: "<", arrowRight: ">", ellipsis: "~", bullet: "*", swatch: "#",
        eighths: [" ", " ", " ", " ", " ", " ", " ", "#"],
        density: [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"])

    /// Whether every glyph is ASCII (the set for `--ascii` and non-UTF-8 locales).
    public var isASCII: Bool { fullBlock.isASCII && horizontal.isASCII && ellipsis.isASCII }

    /// Whether partial bar cells exist (Unicode block elements).
    public var hasPartialBlocks: Bool { eighths.first != " " }

    /// The density glyph for a fill `level` in 0…1: blank only for exactly empty (or NaN), and at
    /// least the lightest mark for anything above zero so a nearly empty bucket stays visible.
    public func densityGlyph(_ level: Double) -> Character {
        guard level > 0, density.count > 1 else { return density.first ?? " " }
        let steps = density.count - 1
        let clamped = min(level, 1)
        let index = max(1, min(steps, Int((clamped * Double(steps)).rounded(.up))))
        return density[index]
    }

    /// The partial-cell glyph for `eighthsFilled` in 1…7 (nil for 0 or 8+).
    public func partial(_ eighthsFilled: Int) -> Character? {
        guard eighthsFilled > 0, eighthsFilled < 8, eighths.count == 8 else { return nil }
        let glyph = eighths[eighthsFilled - 1]
        return glyph == " " ? nil : glyph
    }
}
