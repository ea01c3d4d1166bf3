import TerminalUI

/// Keys of the survey table, as ncdu and htop use them: `s`/F6 next sort column and `S` the one
/// before, `1`–`9` sort by that column (again: reverse), `r` reverse, `/` filter (Enter keeps it,
/// Esc clears it), arrows and pages move, Enter opens the explorer on the image, `q` quits.
extension SurveyTable {
    /// What the caller must do after a key.
    public enum Action: Sendable, Equatable {
        case none
        /// Open the explorer on this image (its path bytes); come back here when it quits.
        case open([UInt8])
        case quit
    }

    /// Applies a key; `page` is how many rows PgUp/PgDn move (``pageRows(_:)`` of the screen).
    public mutating func update(_ event: InputEvent, page: Int = 10) -> Action {
        if editingFilter != nil { return updateFilter(event) }
        switch event {
        case .character("q"): return .quit
        case .escape:
            filter = ""
            reorder()
        case .enter: return selected.map { .open($0.rawPath) } ?? .none
        case .character("s"), .function(6): sort(by: (sortColumn + 1) % SurveyColumn.all.count, toggle: false)
        case .character("S"): sort(by: (sortColumn + SurveyColumn.all.count - 1) % SurveyColumn.all.count, toggle: false)
        case .character("r"), .character("I"):
            descending.toggle()
            reorder()
        case .character(let c) where c.wholeNumberValue.map { (1...SurveyColumn.all.count).contains($0) } == true:
            sort(by: (c.wholeNumberValue ?? 1) - 1, toggle: true)
        case .character("/"): editingFilter = filter
        case .up, .character("k"): move(by: -1)
        case .down, .character("j"): move(by: 1)
        case .pageUp: move(by: -page)
        case .pageDown: move(by: page)
        case .home, .character("g"): selection = 0
        case .end, .character("G"): selection = max(0, rows.count - 1)
        default: break
        }
        return .none
    }

    private mutating func updateFilter(_ event: InputEvent) -> Action {
        guard var text = editingFilter else { return .none }
        switch event {
        case .enter:
            editingFilter = nil
            return .none
        case .escape:
            editingFilter = nil
            filter = ""
        case .backspace:
            if !text.isEmpty { text.removeLast() }
            editingFilter = text
            filter = text
        case .character(let c) where !(c.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false):
            text.append(c)
            editingFilter = text
            filter = text
        default: return .none
        }
        selection = 0
        reorder()
        return .none
    }

    /// Sorts by column `index`; sorting again by the same column with `toggle` reverses it.
    /// Sizes and counts start largest first, the path A to Z.
    mutating func sort(by index: Int, toggle: Bool) {
        if toggle && index == sortColumn {
            descending.toggle()
        } else {
            sortColumn = index
            if case .path = SurveyColumn.all[index].key { descending = false } else { descending = true }
        }
        reorder()
    }

    mutating func move(by delta: Int) {
        selection = min(max(0, selection + delta), max(0, rows.count - 1))
    }
}
