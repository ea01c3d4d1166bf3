import TerminalUI

/// The explorer's two pure functions: `render` draws a frame from (state, data, size), `update`
/// applies one input event. The run loop and the tests call only these.
public enum Explorer {
    /// Rows taken by the tab bar (top) and the status bar (bottom).
    static let chromeRows = 2

    /// The area between the tab bar and the status bar (less the progress line while scanning).
    public static func body(of size: Size, scanning: Bool) -> Rect {
        let full = Rect(origin: .zero, size: size)
        let (_, rest) = full.splitTop(1)
        let (content, _) = rest.splitBottom(scanning ? 2 : 1)
        return content
    }

    /// The screen type that draws and handles `front`.
    static func screenType(_ front: AppState.Screen) -> any ExplorerScreen.Type {
        switch front {
        case .view(let id): viewType(id)
        case .drill(let drill): drillType(drill)
        }
    }

    /// Applies `event` to `state`. Global keys first (quit, help, go to, view switching, back),
    /// then the screen in front. A key for a screen still waiting for its data is kept for
    /// later (``AppState/typeAhead``, ``replayTypeAhead(_:_:size:)``).
    public static func update(_ state: inout AppState, _ event: InputEvent, _ data: ExplorerData, size: Size) {
        if holdsTypeAhead(event, &state, data) { return }
        apply(&state, event, data, size: size)
    }

    /// `update` without the type-ahead: the event acts now.
    static func apply(_ state: inout AppState, _ event: InputEvent, _ data: ExplorerData, size: Size) {
        state.message = nil
        if case .resize = event { return }
        if handleOverlay(&state, event, data) { return }
        let screen = screenType(state.front)
        let body = body(of: size, scanning: data.isScanning)
        switch event {
        case .character("q"), .character("Q"):
            state.shouldQuit = true
        case .character("?"), .function(1):
            state.overlay = .help
        case .character("g"), .character("G"):
            state.overlay = .goTo(TextFieldState(maximumLength: 40))
        case .character(let c) where c.wholeNumberValue.map { (1...ViewID.allCases.count).contains($0) } == true:
            if let n = c.wholeNumberValue, let id = ViewID(rawValue: n) { switchTo(id, &state) }
        case .tab where state.drills.isEmpty:
            switchTo(state.view.next, &state)
        case .backTab where state.drills.isEmpty:
            switchTo(state.view.previous, &state)
        case .escape, .backspace:
            // Esc from a top-level view does nothing (htop/ncdu), it only closes drills.
            if !state.drills.isEmpty { state.drills.removeLast() }
        case .mouse(let m) where m.y == 0 && m.kind == .press:
            let ranges = tabBar(state).tabRanges()
            if let i = ranges.firstIndex(where: { $0.contains(m.x) }), let id = ViewID(rawValue: i + 1) { switchTo(id, &state) }
        default:
            _ = screen.handle(event, &state, data, body: body)
        }
    }

    static func switchTo(_ id: ViewID, _ state: inout AppState) {
        state.view = id
        state.drills.removeAll()
    }

    /// Keys while a popup is up: the help closes on any key; the go-to prompt edits its line.
    static func handleOverlay(_ state: inout AppState, _ event: InputEvent, _ data: ExplorerData) -> Bool {
        switch state.overlay {
        case .none:
            return false
        case .help:
            state.overlay = .none
            return true
        case .goTo(var field):
            switch field.handle(event) {
            case .cancelled:
                state.overlay = .none
            case .submitted:
                state.overlay = .none
                let text = field.text
                guard let target = OffsetExpression(parsing: text) else {
                    state.message = "not an offset: \(text) (try 0x30000, 196608, 64K, host 1M, guest 2G)"
                    return true
                }
                state.message = screenType(state.front).goTo(target, &state, data)
            default:
                state.overlay = .goTo(field)
            }
            return true
        }
    }

    static func tabBar(_ state: AppState) -> TabBar {
        TabBar(titles: ViewID.allCases.map(\.title), active: state.view.rawValue - 1)
    }
}
