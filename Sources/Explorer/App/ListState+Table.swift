import TerminalUI

extension ListState {
    /// Scrolls as little as possible so the selection is among the `visibleRows` shown.
    public mutating func keepSelectionVisible(visibleRows: Int, count: Int) {
        scroll = Table.scrollOffset(keeping: selection, previous: scroll, visibleRows: visibleRows, totalRows: count)
    }

    /// A ``Table``'s selection events: a click on one of its rows (the header row is `table`'s
    /// first), or the list keys; then the selection is kept on screen. Returns whether the event
    /// was one of them, so a view can handle its own keys before or after.
    public mutating func handleTableEvent(_ event: InputEvent, table: Rect, count: Int, page: Int) -> Bool {
        switch event {
        case .mouse(let m) where m.kind == .press:
            let row = m.y - table.y - 1 + scroll
            guard table.contains(m.point), m.y > table.y, row < count else { return false }
            selection = row
        default:
            guard handleNavigation(event, count: count, page: page) else { return false }
        }
        keepSelectionVisible(visibleRows: page, count: count)
        return true
    }
}

extension ListState {
    /// Moves the selection off a row that cannot be selected (a heading, a blank line): on in
    /// the direction it moved from `previous` (down when it did not move), else back the other
    /// way; unchanged when no row is selectable.
    public mutating func skip(from previous: Int, count: Int, isSelectable: (Int) -> Bool) {
        guard count > 0, !isSelectable(selection) else { return }
        let step = selection < previous ? -1 : 1
        for direction in [step, -step] {
            var i = selection + direction
            while i >= 0, i < count {
                if isSelectable(i) { selection = i; return }
                i += direction
            }
        }
    }
}
