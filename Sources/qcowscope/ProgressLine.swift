#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// One line of progress on standard error, redrawn in place, for runs long enough to wonder about
/// (a scan of a multi-terabyte image, a survey, a content diff).
///
/// It exists only when standard error is a terminal and the output is for people: ``make(enabled:)``
/// returns nil otherwise (`--json`, a pipe, a log file), so callers write `progress?.update(...)`
/// and never think about it again. Updates are rate-limited (10 a second) and may come from any
/// thread; the line is cleared by ``finish()`` before the report is printed, so nothing of it is
/// left in the scrollback.
final class ProgressLine: Sendable {
    private let state = Mutex<State>(State())
    private let startedAt = ContinuousClock.now

    private struct State {
        var lastDraw: ContinuousClock.Instant?
        var drawn = false
        var finished = false
    }

    private init() {}

    /// A progress line, or nil when it must not be shown: `enabled` false (machine-readable
    /// output asked for) or standard error not a terminal.
    static func make(enabled: Bool = true) -> ProgressLine? {
        guard enabled, isatty(STDERR_FILENO) == 1 else { return nil }
        return ProgressLine()
    }

    /// Seconds since the line was made, for rates and ETAs.
    var elapsedSeconds: Double {
        let d = ContinuousClock.now - startedAt
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Replaces the line with `text` (cut to the terminal's width), at most ten times a second
    /// unless `force` is set.
    func update(_ text: String, force: Bool = false) {
        state.withLock { s in
            guard !s.finished else { return }
            let now = ContinuousClock.now
            if !force, let last = s.lastDraw, now - last < .milliseconds(100) { return }
            s.lastDraw = now
            s.drawn = true
            let width = max(20, Self.terminalColumns() - 1)
            FileDescriptorWriter.write("\r" + String(text.prefix(width)) + "\u{1B}[K", to: STDERR_FILENO)
        }
    }

    /// Writes `line` (and a newline) on standard error where the progress line is, which the next
    /// update redraws below it: notes such as "skipped: permission denied" stay in the scrollback.
    func write(above line: String) {
        state.withLock { s in
            FileDescriptorWriter.write((s.drawn ? "\r\u{1B}[K" : "") + line + "\n", to: STDERR_FILENO)
            s.drawn = false
            s.lastDraw = nil
        }
    }

    /// Clears the line; later updates are ignored.
    func finish() {
        state.withLock { s in
            guard !s.finished else { return }
            s.finished = true
            if s.drawn { FileDescriptorWriter.write("\r\u{1B}[K", to: STDERR_FILENO) }
        }
    }

    /// "ETA 1m 05s" for `fraction` done after ``elapsedSeconds``, or "" when too early to say.
    func eta(fraction: Double) -> String {
        let elapsed = elapsedSeconds
        guard fraction > 0.01, fraction < 1, elapsed > 0.5 else { return "" }
        let remaining = Int((elapsed / fraction - elapsed).rounded())
        guard remaining >= 60 else { return "ETA \(remaining)s" }
        let seconds = remaining % 60
        return "ETA \(remaining / 60)m \(seconds < 10 ? "0" : "")\(seconds)s"
    }

    private static func terminalColumns() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
