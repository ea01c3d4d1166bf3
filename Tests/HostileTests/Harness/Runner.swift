import Foundation
import Synchronization
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// What one run of the binary did.
struct RunResult: Sendable {
    var arguments: [String]
    /// The exit status, or nil when the process was killed by a signal.
    var status: Int32?
    var signal: Int32?
    var stdout: [UInt8]
    var stderr: [UInt8]
    var seconds: Double

    /// `timeout(1)` answers 124 when the time box ran out, 137 when it had to SIGKILL.
    var timedOut: Bool { status == 124 || status == 137 }
    var commandLine: String { arguments.joined(separator: " ") }
}

/// Runs `qcowscope` under the limits the product promises to live within: a 4 GiB address space
/// (`ulimit -v 4194304`), a wall-clock time box (`timeout`), stdin from /dev/null, and output to
/// files (so a chatty run can never block on a full pipe).
struct Runner: Sendable {
    var binary: String
    /// Address-space limit in KiB (`ulimit -v`).
    var memoryKiB = 4_194_304
    var timeoutSeconds = 20
    var scratch: URL
    /// More `NAME=value` settings for the runs (e.g. `QCOWSCOPE_INJECT_FAULTS`).
    var extraEnvironment: [String] = []

    init(binary: String) throws {
        self.binary = binary
        scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("qcowscope-hostile-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    /// The shell wrapper: set the limit, then `exec` so the status is timeout's (and so the
    /// binary's: timeout re-raises the child's signal, which shows as a signal here).
    private static let script = """
        ulimit -v "$1" || exit 97
        t="$2"; out="$3"; err="$4"; shift 4
        exec timeout -k 2 "$t" "$@" </dev/null >"$out" 2>"$err"
        """

    /// Runs of every suite together stay within cores + 1 processes (the suites run in parallel).
    private static let processSlots = DispatchSemaphore(value: Runner.defaultWidth)

    func run(_ arguments: [String], slot: Int) -> RunResult {
        Self.processSlots.wait()
        defer { Self.processSlots.signal() }
        let out = scratch.appendingPathComponent("\(slot).out").path
        let err = scratch.appendingPathComponent("\(slot).err").path
        let argv = ["/bin/sh", "-c", Self.script, "sh", String(memoryKiB), String(timeoutSeconds), out, err, binary] + arguments
        let start = Date()
        var pid: pid_t = 0
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        // No crash backtraces: symbolication takes seconds per crash; the "Fatal error" line is enough.
        let variables = ["PATH=/usr/bin:/bin:/usr/local/bin", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "TERM=dumb", "COLUMNS=120",
                         "SWIFT_BACKTRACE=enable=no"] + extraEnvironment
        var environment: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer { for p in environment { free(p) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        Subprocess.resetSignals(&attributes)
        let spawned = posix_spawn(&pid, "/bin/sh", nil, &attributes, &cArgs, &environment)
        guard spawned == 0 else {
            return RunResult(arguments: arguments, status: 126, signal: nil, stdout: [],
                             stderr: Array("posix_spawn failed: \(spawned)".utf8), seconds: 0)
        }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        let exited = raw & 0x7F == 0
        let result = RunResult(
            arguments: arguments,
            status: exited ? (raw >> 8) & 0xFF : nil,
            signal: exited ? nil : raw & 0x7F,
            stdout: (try? Array(Data(contentsOf: URL(fileURLWithPath: out)))) ?? [],
            stderr: (try? Array(Data(contentsOf: URL(fileURLWithPath: err)))) ?? [],
            seconds: Date().timeIntervalSince(start))
        unlink(out)
        unlink(err)
        return result
    }

    /// Runs every argument list, `width` at a time, returning results in input order. Each worker
    /// is a thread of its own that blocks in `waitpid`, so the width is real even on two cores.
    func runAll(_ jobs: [[String]], width: Int = Runner.defaultWidth) -> [RunResult] {
        let state = JobState(count: jobs.count)
        let done = DispatchGroup()
        for _ in 0..<max(1, min(width, jobs.count)) {
            done.enter()
            let thread = Thread {
                while let i = state.take() { state.store(run(jobs[i], slot: i), at: i) }
                done.leave()
            }
            thread.start()
        }
        done.wait()
        return state.results()
    }

    /// One more worker than cores: each run spends part of its time starting up and in I/O.
    static var defaultWidth: Int { ProcessInfo.processInfo.activeProcessorCount + 1 }

    func cleanUp() { try? FileManager.default.removeItem(at: scratch) }
}

/// The shared cursor and result slots of ``Runner/runAll(_:width:)``.
private final class JobState: Sendable {
    private let next = Mutex(0)
    private let slots: Mutex<[RunResult?]>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = Mutex([RunResult?](repeating: nil, count: count))
    }

    func take() -> Int? {
        next.withLock { n in
            guard n < count else { return nil }
            defer { n += 1 }
            return n
        }
    }

    func store(_ result: RunResult, at i: Int) { slots.withLock { $0[i] = result } }
    func results() -> [RunResult] { slots.withLock { $0.compactMap { $0 } } }
}
