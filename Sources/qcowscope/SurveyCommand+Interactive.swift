import ArgumentParser
import CursesBackend
import Dispatch
import Explorer
import Qcow2
import Reports
import Synchronization
import TerminalUI

/// `qcowscope survey` on a terminal without --json or --csv: the sortable table, filled in as
/// scans finish; Enter explores an image and Esc or q comes back to the table.
extension SurveyCommand {
    func runInteractive(_ survey: Survey, roots: [[UInt8]]) throws {
        let inbox = SurveyInbox()
        let skipped = Mutex<[ImageDiscovery.Skip]>([])
        let terminal = try ExploreCommand.terminal(noColor: noColor)
        let theme = ExploreCommand.theme(terminal, ascii: ascii)
        DispatchQueue.global(qos: .userInitiated).async {
            survey.run(roots, record: inbox.post, skipped: { skip in skipped.withLock { $0.append(skip) } })
        }
        let limits = limits
        let table = SurveyLoop.run(backend: terminal, table: SurveyTable(roots: paths), theme: theme, inbox: inbox,
                                   progress: { survey.progress }) { rawPath in
            // Explored with the reach the survey gave it: the first root it lies under.
            let root = roots.first { rawPath == $0 || rawPath.starts(with: $0.last == UInt8(ascii: "/") ? $0 : $0 + [UInt8(ascii: "/")]) } ?? rawPath
            guard let session = try? ExploreCommand.session(rawPath: rawPath, limits: limits(rawPath, root)) else { return }
            session.start()
            var state = AppState()
            state.escapeLeaves = true
            ExplorerLoop.run(backend: terminal, session: session, theme: theme, initial: state)
        }
        terminal.stop()
        // Left until the table is gone, so the notes stay in the scrollback.
        for skip in skipped.withLock({ $0 }) {
            printError("qcowscope: \(RawString.escape(skip.rawPath)): skipped: \(skip.reason.terminalSafe)")
        }
        if table.records.isEmpty && survey.progress.walked {
            printError("qcowscope: no qcow2 image found")
            throw ExitCode(ExitStatus.nothingUseful)
        }
    }
}
