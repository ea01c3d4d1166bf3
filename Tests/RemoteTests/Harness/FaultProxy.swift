import Foundation
import TestSupport

/// Tests/RemoteTests/fault-proxy.py serving the fixtures badly (see its header), started in the
/// background and killed by its pid when the test ends.
final class FaultProxy: @unchecked Sendable {
    let port: Int
    private let pid: pid_t

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fault-proxy.py").path
    static var available: Bool { Tools.find("python3") != nil }

    /// `mode` for every request whose range starts at or after byte `from` (earlier ones are
    /// answered properly: the fault comes mid-scan).
    init(_ mode: String, from: Int = 0, root: String = Compare.images) throws {
        let out = try Tools.temporaryDirectory("qcowscope-proxy") + "/port"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        Subprocess.resetSignals(&attributes)
        let words = ["/usr/bin/env", "python3", Self.script, root, mode, String(from)]
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var child: pid_t = 0
        guard posix_spawn(&child, "/usr/bin/env", &actions, &attributes, &argv, environ) == 0 else {
            throw Failure("cannot start fault-proxy.py")
        }
        pid = child
        var port: Int?
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: out, encoding: .utf8), let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                port = value
                break
            }
            usleep(25_000)
        }
        guard let port else {
            kill(child, SIGKILL)
            throw Failure("fault-proxy.py did not say its port")
        }
        self.port = port
    }

    var base: String { "http://127.0.0.1:\(port)/" }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}
