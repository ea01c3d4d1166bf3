import TerminalUI

/// Type-ahead: keys that arrive while the screen in front waits for background work
/// (``ExplorerWork``) are kept in ``AppState/typeAhead`` and applied, in order, once its data is
/// there, so typing `5` `↓` `Enter` `+` fast does what it would have done with the data at hand.
/// The interface does not wait for them: frames keep coming, and the keys that leave or switch
/// screens (Esc, Backspace, a view number, Tab between views, `?`, `q`) act at once and drop
/// what was typed ahead for the screen left behind.
extension Explorer {
    /// Keys kept at most (a held-down key repeats fast; beyond this they are dropped).
    static let typeAheadLimit = 64

    /// Keeps `event` for later when the front screen is waiting (or earlier keys already are);
    /// returns whether it was kept. A key acting at once clears what was kept.
    static func holdsTypeAhead(_ event: InputEvent, _ state: inout AppState, _ data: ExplorerData) -> Bool {
        guard state.overlay == .none else { return false }
        if actsAtOnce(event, state) {
            if case .resize = event {} else { state.typeAhead.removeAll() }
            return false
        }
        guard !state.typeAhead.isEmpty || !frontWork(state, data).isEmpty else { return false }
        if state.typeAhead.count < typeAheadLimit { state.typeAhead.append(event) }
        return true
    }

    /// Keys that never wait: they do not need the front screen's data.
    static func actsAtOnce(_ event: InputEvent, _ state: AppState) -> Bool {
        switch event {
        case .resize, .escape, .backspace, .character("q"), .character("Q"), .character("?"), .function(1),
             .character("w"), .character("W"):
            return true
        case .character(let c):
            return viewKey(c) != nil
        case .tab, .backTab:
            return true
        case .mouse(let m):
            return m.y == 0 && m.kind == .press
        default:
            return false
        }
    }

    /// Applies the kept keys while the front screen has its data; stops at a screen that waits
    /// again (a drill-down the keys opened). Returns whether any key was applied, so the caller
    /// asks for the work of the new screen and calls again.
    @discardableResult
    public static func replayTypeAhead(_ state: inout AppState, _ data: ExplorerData, size: Size) -> Bool {
        var applied = false
        while let first = state.typeAhead.first, frontWork(state, data).isEmpty {
            state.typeAhead.removeFirst()
            apply(&state, first, data, size: size)
            applied = true
        }
        return applied
    }
}
