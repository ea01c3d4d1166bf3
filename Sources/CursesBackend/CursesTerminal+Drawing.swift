internal import CNCurses
import TerminalUI

/// Showing a ``Screen``: rows that differ from the last frame are rewritten, one
/// `mvwaddnwstr` per run of cells with the same style, then one `doupdate`.
extension CursesTerminal {
    public func draw(_ screen: Screen) {
        guard !isStopped else { return }
        let window = qs_stdscr()
        let full = previous == nil || previous?.size != screen.size
        if full { _ = werase(window) }
        let rows = min(screen.height, size.height)
        let columns = min(screen.width, size.width)
        var text: [wchar_t] = []
        text.reserveCapacity(columns * 2)
        for y in 0..<rows {
            let row = screen.row(y)
            if !full, let previous, previous.row(y) == row { continue }
            var x = 0
            let start = row.startIndex
            while x < columns {
                let style = row[start + x].style
                let runStart = x
                text.removeAll(keepingCapacity: true)
                while x < columns, row[start + x].style == style {
                    for scalar in row[start + x].character.unicodeScalars {
                        // Outside a UTF-8 locale ncurses would print other bytes as `M-b` letters.
                        let value = isUTF8Locale || scalar.isASCII ? scalar.value : 0x3F
                        text.append(wchar_t(bitPattern: value))
                    }
                    x += 1
                }
                let (attrs, pair) = cursesStyle(style)
                _ = qs_draw_run(Int32(y), Int32(runStart), text, Int32(text.count), attrs, pair)
            }
        }
        placeCursor(screen.cursor)
        _ = wnoutrefresh(window)
        _ = doupdate()
        previous = screen
    }

    /// Forgets what is on screen so the next ``draw(_:)`` repaints everything (Ctrl-L).
    public func invalidate() {
        guard !isStopped else { return }
        _ = clearok(qs_stdscr(), true)
        previous = nil
    }

    private func placeCursor(_ point: Point?) {
        if let point, point.x >= 0, point.y >= 0, point.x < size.width, point.y < size.height {
            if !cursorVisible { _ = curs_set(1); cursorVisible = true }
            _ = wmove(qs_stdscr(), Int32(point.y), Int32(point.x))
        } else if cursorVisible {
            _ = curs_set(0)
            cursorVisible = false
        }
    }

    /// Curses attributes and colour pair for a style, after degrading it to the colour mode.
    func cursesStyle(_ requested: Style) -> (attr_t, Int32) {
        let style = colorMode.resolve(requested)
        var attrs = qs_a_normal()
        if style.attributes.contains(.bold) { attrs |= qs_a_bold() }
        if style.attributes.contains(.dim) { attrs |= qs_a_dim() }
        if style.attributes.contains(.reverse) { attrs |= qs_a_reverse() }
        if style.attributes.contains(.underline) { attrs |= qs_a_underline() }
        guard colorMode != .none else { return (attrs, 0) }
        let fg = Int32(style.foreground.paletteIndex ?? -1)
        let bg = Int32(style.background.paletteIndex ?? -1)
        return (attrs, pairs.pair(foreground: fg, background: bg))
    }
}
