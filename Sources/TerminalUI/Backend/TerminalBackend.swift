/// Where frames go and events come from: the curses terminal in the app, ``HeadlessBackend`` in
/// tests. The app's run loop is written against this protocol only.
public protocol TerminalBackend: AnyObject {
    /// The current size in cells; build the next ``Screen`` at this size.
    var size: Size { get }
    /// What the terminal can show; styles are resolved through it when drawn.
    var colorMode: ColorMode { get }
    /// Shows `screen` (a backend may skip unchanged rows).
    func draw(_ screen: Screen)
    /// The next event, waiting at most `timeoutMilliseconds` (nil waits for ever, 0 polls).
    /// Returns nil when the time ran out with no event.
    func nextEvent(timeoutMilliseconds: Int?) -> InputEvent?
}
