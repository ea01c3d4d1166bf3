import Foundation
import TestSupport

/// Drives the real `qcowscope` binary in a private tmux server, as a person at a terminal would:
/// `send-keys` to type, `capture-pane` to read the screen.
final class TmuxSession {
    let socket: String
    let name = "qcowscope"
    let statusFile: URL

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    /// The `qcowscope` binary SwiftPM built beside this test bundle.
    static var binary: String? {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [dir.appendingPathComponent("qcowscope").path]
        // The test bundle may live inside `<bin>/qcowscopePackageTests.xctest/...`.
        candidates.append(dir.deletingLastPathComponent().appendingPathComponent("qcowscope").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts `command` in a new detached session of `width`×`height` cells. The shell records
    /// the command's exit status in ``statusFile`` when it ends.
    /// `environment` adds to or overrides the terminal's (e.g. `LANG=C`, `NO_COLOR=1`).
    init(command: [String], width: Int, height: Int, directory: URL, environment: [String: String] = [:]) throws {
        socket = "qcowscope-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        statusFile = directory.appendingPathComponent("exit-status")
        let quoted = command.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let script = "\(quoted); echo $? > '\(statusFile.path)'; sleep 30"
        var variables = ["TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
        variables.merge(environment) { $1 }
        let settings = variables.sorted { $0.key < $1.key }.flatMap { ["-e", "\($0.key)=\($0.value)"] }
        try tmux(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)"] + settings + [script])
    }

    deinit { _ = try? tmux(["kill-server"]) }

    /// Runs a tmux client command and returns what it printed (through ``Subprocess``: the tmux
    /// server that `new-session` forks keeps the client's descriptors, which hangs Foundation's
    /// `Process`).
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        try Subprocess.run("/usr/bin/tmux", ["-L", socket, "-f", "/dev/null"] + arguments).stdoutText
    }

    /// Types keys (tmux key names: "Enter", "Escape", "Tab", "BTab", "+", "q", …).
    func send(_ keys: String...) throws {
        for key in keys { try tmux(["send-keys", "-t", name, key]) }
    }

    /// The visible screen as plain text.
    func capture() throws -> String { try tmux(["capture-pane", "-p", "-t", name]) }

    /// Waits until the screen contains every one of `texts` (or the time runs out); returns the
    /// last capture. Several texts, because a capture can catch a frame half drawn: the first
    /// line of a new screen may be there while its status bar is not yet.
    @discardableResult
    func waitFor(_ texts: String..., seconds: Double = 10) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var screen = ""
        repeat {
            screen = try capture()
            if texts.allSatisfy(screen.contains) { return screen }
            usleep(50_000)
        } while Date() < deadline
        return screen
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The command's exit status once it has ended (waits up to `seconds`).
    func exitStatus(seconds: Double = 10) -> Int? {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if let text = try? String(contentsOf: statusFile, encoding: .utf8),
               let status = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) { return status }
            usleep(50_000)
        } while Date() < deadline
        return nil
    }
}
