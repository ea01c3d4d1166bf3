import TerminalUI

/// The explorer's run loop, written against ``TerminalBackend`` only, so the same loop runs on
/// ncurses and headless in tests.
///
/// It never blocks on the scan or on other slow data: before every frame it asks the session for
/// the background work the screen in front needs (``ExplorerSession/requestWork(for:)``); while the
/// scan or that work runs it polls for input every 100 ms and redraws when something changed, so
/// the first frame appears at once and screens fill in as data arrives. Frames identical to the
/// last one are not sent to the backend.
public enum ExplorerLoop {
    /// Runs until `q`, or, on a ``HeadlessBackend``, until its script is used up.
    @discardableResult
    public static func run(backend: any TerminalBackend, session: ExplorerSession, theme: Theme,
                           initial: AppState = AppState()) -> AppState {
        var state = initial
        var lastFrame: TerminalUI.Screen?
        while !state.shouldQuit {
            // Every turn, not only after keys: results made stale by the scan finishing are
            // asked for again.
            session.requestWork(for: state)
            session.watch(every: state.watching ? state.watchSeconds : nil)
            var data = session.snapshot()
            // Keys typed ahead of the data apply as soon as it is there.
            while Explorer.replayTypeAhead(&state, data, size: backend.size) {
                session.requestWork(for: state)
                data = session.snapshot()
            }
            let frame = Explorer.render(state, data, size: backend.size, theme: theme)
            if frame != lastFrame {
                backend.draw(frame)
                lastFrame = frame
            }
            let busy = data.isScanning || !data.running.isEmpty || data.watch?.isRunning == true
            // Watching, the next round is due within the interval: wake up for it.
            let idle = state.watching ? min(1000, max(100, Int(state.watchSeconds * 1000) / 4)) : 1000
            guard let event = backend.nextEvent(timeoutMilliseconds: busy ? 100 : idle) else {
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
