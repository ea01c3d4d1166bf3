import Foundation
import Qcow2
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A real QEMU process changing an image while a test reads it: `qemu-io` fed commands on its
/// standard input (it holds the image, and its lock, until that closes), or `qemu-nbd` serving
/// the image on a unix socket with `qemu-io` writing through NBD. Started in the background with
/// `sh`, stopped by closing the pipe or by killing the process group it leads.
final class QemuWriter {
    let directory: String
    let image: String
    private var pid: pid_t = 0

    /// Writes `count` chunks of 256 KiB at increasing offsets, `pause` seconds apart, each
    /// followed by a flush, through `how`.
    enum Mode { case qemuIO, nbd }

    init(directory: String, image: String) {
        self.directory = directory
        self.image = image
    }

    /// The shell line that writes: one `write` + `flush` per chunk.
    static func commands(count: Int, pause: Double) -> String {
        "i=0; while [ $i -lt \(count) ]; do echo \"write -P $((i % 250 + 1)) $((i * 256))k 256k\"; echo flush; "
            + "sleep \(pause); i=$((i + 1)); done"
    }

    /// Starts writing in the background; returns once the writer holds the image lock.
    func start(_ mode: Mode, count: Int, pause: Double) throws {
        let script: String
        switch mode {
        case .qemuIO:
            script = "(\(Self.commands(count: count, pause: pause))) | exec qemu-io -f qcow2 '\(image)' >/dev/null"
        case .nbd:
            let socket = directory + "/nbd.sock"
            script = "qemu-nbd -f qcow2 -k '\(socket)' -t -e 4 '\(image)' & nbd=$!; "
                + "while [ ! -S '\(socket)' ]; do sleep 0.05; done; "
                + "(\(Self.commands(count: count, pause: pause))) | qemu-io -f raw 'nbd+unix:///?socket=\(socket)' >/dev/null; "
                + "kill $nbd; wait $nbd"
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        Subprocess.resetSignals(&attributes)
        // Its own process group, so stopping it stops qemu-nbd and qemu-io with it.
        posix_spawnattr_setpgroup(&attributes, 0)
        var flags: Int16 = 0
        posix_spawnattr_getflags(&attributes, &flags)
        posix_spawnattr_setflags(&attributes, flags | Int16(POSIX_SPAWN_SETPGROUP))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let words: [String] = ["/bin/sh", "-c", script]
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &argv, environ)
        guard spawned == 0 else { throw WriterFailure(code: spawned) }
        for _ in 0..<100 where !isLocked() { usleep(50_000) }
    }

    /// Whether a QEMU holds the image's lock now, asked as qcowscope asks (`F_OFD_GETLK`), which
    /// takes no lock: `qemu-img info` would take a shared one, and a writer starting while it is
    /// held fails to get its "write" lock and exits without writing.
    func isLocked() -> Bool {
        ((try? ReadOnlyFile(rawPath: Array(image.utf8)))?.isLockedByAnotherProcess()) == true
    }

    /// Waits for the writer to finish on its own (at most `seconds`), else stops it.
    func wait(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid { pid = 0; return }
            usleep(50_000)
        }
        stop()
    }

    /// Stops the writer and everything it started.
    func stop() {
        guard pid > 0 else { return }
        kill(-pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        pid = 0
    }

    deinit { stop() }

    struct WriterFailure: Error { var code: Int32 }
}
