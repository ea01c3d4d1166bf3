import Formatting
import Qcow2

/// Small layout helpers of the human reports (sizes, dates and clocks: ``Formatted``).
public enum InfoFormatting {
    /// Left-aligned columns separated by two spaces, the widest cell setting each column's width.
    static func table(_ rows: [[String]], indent: String = "  ") -> [String] {
        guard let columns = rows.map(\.count).max() else { return [] }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            var line = indent
            for (i, cell) in row.enumerated() {
                line += i + 1 < row.count ? rightPad(cell, widths[i] + 2) : cell
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// `text` followed by spaces up to `width` characters.
    static func rightPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Text made safe for a terminal without escaping backslashes twice: for messages that
    /// already hold escaped image text but may also carry a raw path.
    static func safe(_ text: String) -> String { TerminalEscape.escape(Array(text.utf8), doublingBackslashes: false) }
}
