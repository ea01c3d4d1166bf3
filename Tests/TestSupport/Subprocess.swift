import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program and waits for it with `posix_spawn` and `waitpid`, its output going to files.
///
/// Not Foundation's `Process`: on Linux it learns that a child ended from a socket the child
/// inherits, so when the child leaves a daemon behind (`tmux new-session` forks the tmux server,
/// which keeps every inherited descriptor) the end is never seen and `waitUntilExit` blocks for
/// ever, the child a zombie. Files instead of pipes for the same reason: a daemon holding the
/// write end of a pipe would keep the reader from ever reaching end-of-file.
public enum Subprocess {
    public struct Output: Sendable {
        /// The exit status; 128 + N when signal N ended the process (as a shell reports it).
        public var status: Int32
        public var stdout: Data
        public var stderr: Data

        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    public struct SpawnFailure: Error, CustomStringConvertible {
        public var program: String
        public var code: Int32
        public var description: String { "posix_spawn \(program): \(String(cString: strerror(code)))" }
    }

    /// Gives the child an empty signal mask and every signal its default action. The test runs
    /// on threads that block signals (Dispatch's workers block them all), and a spawned child
    /// inherits the mask: a program started from there — tmux, and the explorer tmux starts —
    /// would never see SIGWINCH (no resize), nor `timeout`'s SIGTERM.
    public static func resetSignals(_ attributes: inout posix_spawnattr_t) {
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    }

    /// Runs `executable` (an absolute path) with `arguments` in `directory`, stdin from
    /// /dev/null, `environment` replacing the test process's own when given.
    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String]? = nil) throws -> Output {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("qcowscope-spawn-\(getpid())-\(UUID().uuidString)").path
        let outPath = scratch + ".out", errPath = scratch + ".err"
        defer {
            unlink(outPath)
            unlink(errPath)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let variables = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        // Glibc's posix_spawn_file_actions_addchdir_np is not visible to Swift; env(1) changes directory.
        let program = directory == nil ? executable : "/usr/bin/env"
        let words = directory.map { ["/usr/bin/env", "-C", $0, executable] } ?? [executable]
        var argv: [UnsafeMutablePointer<CChar>?] = (words + arguments).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        resetSignals(&attributes)

        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, &attributes, &argv, &envp)
        guard spawned == 0 else { throw SpawnFailure(program: executable, code: spawned) }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        let signal = raw & 0x7F
        let status = signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
        return Output(status: status,
                      stdout: FileManager.default.contents(atPath: outPath) ?? Data(),
                      stderr: FileManager.default.contents(atPath: errPath) ?? Data())
    }
}
