import Formatting

/// Making arbitrary text safe and one-column-per-character before it reaches the cell grid.
///
/// Image text should already arrive escaped (`RawString.escaped`), but widgets must be safe even
/// when a caller forgets: control characters would move the terminal cursor or start escape
/// sequences, and wide (East Asian, emoji) or zero-width characters would shift every column
/// after them. All of these are written as `\xNN` or `\u{…}`, in the same notation
/// `RawString.escaped` uses, so the result is printable ASCII for them and one column per
/// `Character` everywhere.
public enum TerminalText {
    /// `text` with every character that is not a single printable column escaped.
    /// Idempotent: sanitizing sanitized text changes nothing.
    public static func sanitized(_ text: String) -> String {
        if isSimple(text) || text.allSatisfy(isSingleColumn) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            if isSingleColumn(character) {
                out.append(character)
            } else {
                out += escape(character)
            }
        }
        return out
    }

    /// The number of columns `text` takes once sanitized.
    public static func width(_ text: String) -> Int { sanitized(text).count }

    /// `text` sanitized and cut to at most `width` columns; when cut, the last column is
    /// `ellipsis` (pass nil to cut hard).
    public static func truncated(_ text: String, width: Int, ellipsis: Character? = "…") -> String {
        let clean = sanitized(text)
        guard width > 0 else { return "" }
        guard clean.count > width else { return clean }
        guard let ellipsis else { return String(clean.prefix(width)) }
        return String(clean.prefix(width - 1)) + String(ellipsis)
    }

    /// `parts` joined by `separator`, dropping parts from the end until the line fits `width`
    /// (the first part is always kept): a title loses its least important facts whole instead
    /// of a count cut in the middle.
    public static func joinedFitting(_ parts: [String], width limit: Int, separator: String = " · ") -> String {
        var kept = parts
        while kept.count > 1, width(kept.joined(separator: separator)) > limit { kept.removeLast() }
        return kept.joined(separator: separator)
    }

    /// `text` sanitized and padded or cut to exactly `width` columns.
    public static func padded(_ text: String, width: Int, alignment: Alignment = .left, ellipsis: Character? = "…") -> String {
        let cut = truncated(text, width: width, ellipsis: ellipsis)
        let gap = max(0, width - cut.count)
        switch alignment {
        case .left: return cut + String(repeating: " ", count: gap)
        case .right: return String(repeating: " ", count: gap) + cut
        case .center: return String(repeating: " ", count: gap / 2) + cut + String(repeating: " ", count: gap - gap / 2)
        }
    }

    /// Whether every scalar of `text` is one the fast path knows to be a printable single column
    /// that never joins its neighbours into one character (so scalars and characters coincide).
    /// Checking scalars avoids grapheme breaking, the slow part of walking a `String`.
    public static func isSimple(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { isSimpleScalar($0.value) }
    }

    @inline(__always)
    static func isSimpleScalar(_ v: UInt32) -> Bool {
        switch v {
        case 0x20...0x7E, 0xA0...0xAC, 0xAE...0x2FF, 0x2010...0x2027, 0x2190...0x21FF, 0x2500...0x25FC: return true
        default: return false
        }
    }

    /// Whether a character is printable and exactly one column wide.
    public static func isSingleColumn(_ character: Character) -> Bool {
        if let ascii = character.asciiValue { return ascii >= 0x20 && ascii != 0x7F }
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return false }
        // Fast path for the one-scalar characters widgets draw all the time (Latin letters,
        // punctuation such as …, arrows, box drawing, blocks and shades).
        if scalars.index(after: scalars.startIndex) == scalars.endIndex, isSimpleScalar(first.value) { return true }
        switch first.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned,
             .nonspacingMark, .enclosingMark, .spacingMark:
            return false
        default: break
        }
        // An emoji presentation selector (U+FE0F) makes the whole cluster two columns wide.
        if scalars.contains(where: { $0.value == 0xFE0F }) { return false }
        return !isWide(first)
    }

    /// East Asian Wide / Fullwidth and emoji-presentation scalars: two columns in a terminal.
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x1100 { return false }
        if scalar.properties.isEmojiPresentation { return true }
        switch v {
        case 0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
             0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
             0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
             0x17000...0x18AFF, 0x1B000...0x1B2FF, 0x1F1E6...0x1F1FF, 0x1F200...0x1F251,
             0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// The escaped form of one character, scalar by scalar (``TerminalEscape/escaped(_:)``).
    static func escape(_ character: Character) -> String {
        character.unicodeScalars.map { TerminalEscape.escaped($0.value) }.joined()
    }
}

/// Horizontal placement of text in a fixed width.
public enum Alignment: Hashable, Sendable {
    case left, center, right
}
