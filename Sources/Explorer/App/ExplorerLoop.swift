import TerminalUI

/// The explorer's run loop, written against ``TerminalBackend`` only, so the same loop runs on
/// ncurses and headless in tests.
///
/// It never blocks on the scan: while the scan runs it polls for input every 100 ms and redraws
/// when the progress changed, so the first frame appears at once and views fill in as data
/// arrives. Frames identical to the last one are not sent to the backend.
public enum ExplorerLoop {
    /// Runs until `q`, or, on a ``HeadlessBackend``, until its script is used up.
    @discardableResult
    public static func run(backend: any TerminalBackend, session: ExplorerSession, theme: Theme,
                           initial: AppState = AppState()) -> AppState {
        var state = initial
        var lastFrame: TerminalUI.Screen?
        while !state.shouldQuit {
            let data = session.snapshot()
            let frame = Explorer.render(state, data, size: backend.size, theme: theme)
            if frame != lastFrame {
                backend.draw(frame)
                lastFrame = frame
            }
            guard let event = backend.nextEvent(timeoutMilliseconds: data.isScanning ? 100 : 1000) else {
                if let headless = backend as? HeadlessBackend, headless.isExhausted { break }
                continue
            }
            if case .resize = event { lastFrame = nil }
            Explorer.update(&state, event, session.snapshot(), size: backend.size)
        }
        session.cancel()
        return state
    }
}
