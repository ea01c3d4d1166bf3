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
        case .view(let id): id.registration.screen
        case .drill(let drill): drill.screen
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
        let body = body(of: size, scanning: data.hasFooterLine)
        switch event {
        case .character("q"), .character("Q"):
            state.shouldQuit = true
        case .character("?"), .function(1):
            state.overlay = .help
        case .character("w"), .character("W"):
            state.watching.toggle()
            state.message = state.watching
                ? "watching: a re-scan every \(WatchStatus(seconds: state.watchSeconds).secondsText)"
                : "stopped watching"
        case .character("g"), .character("G"):
            state.overlay = .goTo(TextFieldState(maximumLength: 40))
        case .character(let c) where viewKey(c) != nil:
            if let id = viewKey(c) { state.switchTo(id) }
        case .tab:
            state.switchTo(state.view.next)
        case .backTab:
            state.switchTo(state.view.previous)
        case .escape, .backspace:
            // Back to the screen Enter left, exactly as it was; at a view reached by a number
            // key or Tab it does nothing (htop/ncdu), or leaves when the survey opened it.
            if !state.goBack() && event == .escape && state.escapeLeaves { state.shouldQuit = true }
        case .mouse(let m) where m.y == 0 && m.kind == .press:
            let ranges = tabBar(state).tabRanges(width: size.width)
            if let i = ranges.firstIndex(where: { $0.contains(m.x) }), let id = ViewID(number: i + 1) { state.switchTo(id) }
        default:
            _ = screen.handle(event, &state, data, body: body)
        }
    }

    /// The view a number key opens, if `c` is one.
    static func viewKey(_ c: Character) -> ViewID? {
        ViewID.allCases.first { $0.key == c }
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
                    state.message = "not an offset: \(text) (try 0x30000, 196608, 64K, #12, host 1M, guest 2G)"
                    return true
                }
                state.message = goTo(target, &state, data)
            default:
                state.overlay = .goTo(field)
            }
            return true
        }
    }

    /// A submitted go-to: cluster numbers become byte offsets; a bare offset goes to the screen
    /// in front when it has positions; `host X` / `guest X` go there too when the screen takes
    /// that kind, else switch to the layout or the map (Esc comes back). Returns why not, if not.
    static func goTo(_ parsed: OffsetExpression, _ state: inout AppState, _ data: ExplorerData) -> String? {
        let screen = screenType(state.front)
        guard let bytes = parsed.byteOffset(clusterSize: data.clusterSize) else { return "cluster #\(parsed.offset) is past any offset" }
        let target = OffsetExpression(space: parsed.space, offset: bytes)
        switch (target.space, screen.positions) {
        case (.current, nil):
            return "this view has no positions: type host X for the layout or guest X for the map"
        case (.current, _), (.host, .host?), (.guest, .guest?):
            return screen.goTo(target, &state, data)
        case (.host, _), (.guest, _):
            let id: ViewID = target.space == .host ? .host : .guest
            state.jump(to: id)
            let refusal = id.registration.screen.goTo(target, &state, data)
            if refusal != nil { state.goBack() }
            return refusal
        }
    }

    static func tabBar(_ state: AppState) -> TabBar {
        TabBar(titles: ViewID.allCases.map(\.title), active: state.view.number - 1)
    }
}
