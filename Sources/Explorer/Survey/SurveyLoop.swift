import Reports
import Synchronization
import TerminalUI

/// Records arriving from the scanning threads, taken by the table's loop between frames.
public final class SurveyInbox: Sendable {
    private let pending = Mutex<[SurveyRecord]>([])

    public init() {}

    /// Called by the survey as each image finishes (any thread).
    public func post(_ record: SurveyRecord) { pending.withLock { $0.append(record) } }

    /// Everything posted since the last call.
    public func take() -> [SurveyRecord] { pending.withLock { p in defer { p.removeAll() }; return p } }
}

/// The survey table's run loop on any ``TerminalBackend`` (curses, or headless in tests): rows fill
/// in as scans finish; Enter hands the image to `open` (the explorer, on the same backend) and the
/// table comes back when it returns.
public enum SurveyLoop {
    @discardableResult
    public static func run(backend: any TerminalBackend, table initial: SurveyTable, theme: Theme, inbox: SurveyInbox,
                           progress: () -> Survey.Progress, open: ([UInt8]) -> Void) -> SurveyTable {
        var table = initial
        var lastFrame: Screen?
        while true {
            table.add(inbox.take())
            table.progress = progress()
            let frame = table.render(size: backend.size, theme: theme)
            if frame != lastFrame {
                backend.draw(frame)
                lastFrame = frame
            }
            let busy = !(table.progress.walked && table.progress.done == table.progress.found)
            guard let event = backend.nextEvent(timeoutMilliseconds: busy ? 100 : 1000) else {
                if let headless = backend as? HeadlessBackend, headless.isExhausted { break }
                continue
            }
            if case .resize = event { lastFrame = nil }
            switch table.update(event, page: SurveyTable.pageRows(backend.size)) {
            case .none: break
            case .quit: return table
            case .open(let path):
                open(path)
                lastFrame = nil
            }
        }
        return table
    }
}
