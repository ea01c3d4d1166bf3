import TerminalUI

/// One screen of the explorer (a view or a drill-down): how it draws, which keys it takes, what
/// the status bar says about it. Each is a caseless enum of static functions over the app state
/// and data, so a frame is a pure function of (state, data, size).
public protocol ExplorerScreen {
    /// Draws the screen into `body` (the area between the tab bar and the status bar).
    static func draw(_ state: AppState, _ data: ExplorerData, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect)
    /// Handles a key or mouse event not taken by the global bindings; returns whether it was used.
    static func handle(_ event: InputEvent, _ state: inout AppState, _ data: ExplorerData, body: Rect) -> Bool
    /// Where the user is, for the status bar (e.g. `cluster 0x30000 · 64 KiB/cell`).
    static func position(_ state: AppState, _ data: ExplorerData) -> String
    /// The keys this screen adds, for the status bar and the help overlay.
    static var hints: [KeyHint] { get }
    /// Which offsets `g` takes here: host (file) or guest (disk) positions, or none (a bare
    /// offset is then refused; `host X` / `guest X` still switch to the view that has it).
    static var positions: OffsetExpression.Space? { get }
    /// Handles a go-to offset; returns an error message when it does not apply.
    static func goTo(_ target: OffsetExpression, _ state: inout AppState, _ data: ExplorerData) -> String?
    /// The slow data this screen shows, computed in the background (``ExplorerWork``); the
    /// screen draws a notice until it is in `data`. None by default.
    static func work(_ state: AppState, _ data: ExplorerData) -> [ExplorerWork]
    /// Slow data this screen's view wants computed in the background as soon as it can be,
    /// whichever screen is in front (the Volumes view's filesystem reading, whose headline the
    /// header shows). None by default.
    static func backgroundWork(_ data: ExplorerData) -> [ExplorerWork]
    /// Slow data the screen in front shows when it is there but does not wait for: its keys act
    /// at once meanwhile (a diff's content comparison, the chain's layer accounting). None by
    /// default.
    static func sideWork(_ state: AppState, _ data: ExplorerData) -> [ExplorerWork]
}

extension ExplorerScreen {
    public static var positions: OffsetExpression.Space? { nil }

    public static func goTo(_ target: OffsetExpression, _ state: inout AppState, _ data: ExplorerData) -> String? {
        "go to is not available in this view"
    }

    public static func work(_ state: AppState, _ data: ExplorerData) -> [ExplorerWork] { [] }

    public static func backgroundWork(_ data: ExplorerData) -> [ExplorerWork] { [] }

    public static func sideWork(_ state: AppState, _ data: ExplorerData) -> [ExplorerWork] { [] }
}
