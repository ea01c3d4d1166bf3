import Foundation
import TestSupport

/// An NBD server on 127.0.0.1 or a Unix socket, exporting files as they are (the qcow2 file's own
/// bytes, which qcowscope then parses): `qemu-nbd --read-only -f raw` for one file, or nbdkit's
/// file plugin for a whole directory (every file an export named by its name, so chains resolve).
final class NBDServer: @unchecked Sendable {
    let url: String
    private let pidFile: String

    static var qemuNBD: Bool { Tools.find("qemu-nbd") != nil }
    static var nbdkit: Bool { Tools.find("nbdkit") != nil }

    /// `qemu-nbd` exporting `file` as `export`, on TCP or (with `unix`) on a socket.
    init(qemuNBD file: String, export: String, unix: Bool) throws {
        let scratch = try Tools.temporaryDirectory("qcowscope-nbd")
        pidFile = scratch + "/pid"
        for _ in 0..<5 {
            let port = FreePort.next()
            let socket = scratch + "/nbd.sock"
            let place = unix ? ["-k", socket] : ["-b", "127.0.0.1", "-p", String(port)]
            let r = try Tools.run(["qemu-nbd", "--read-only", "-f", "raw", "-x", export, "--persistent", "-e", "16",
                                   "--fork", "--pid-file", pidFile] + place + [file], in: scratch)
            if r.status == 0 {
                url = unix ? "nbd+unix:///\(export)?socket=\(socket)" : "nbd://127.0.0.1:\(port)/\(export)"
                return
            }
        }
        throw Failure("qemu-nbd did not start")
    }

    /// nbdkit's file plugin exporting every file of `directory`; `base` is the URL prefix of an export.
    init(nbdkitDirectory directory: String) throws {
        let scratch = try Tools.temporaryDirectory("qcowscope-nbdkit")
        pidFile = scratch + "/pid"
        for _ in 0..<5 {
            let port = FreePort.next()
            let r = try Tools.run(["nbdkit", "-r", "-P", pidFile, "-i", "127.0.0.1", "-p", String(port),
                                   "file", "dir=" + directory], in: scratch)
            if r.status == 0 {
                url = "nbd://127.0.0.1:\(port)/"
                // nbdkit writes its pid file once it listens.
                for _ in 0..<50 where !FileManager.default.fileExists(atPath: pidFile) { usleep(20_000) }
                return
            }
        }
        throw Failure("nbdkit did not start")
    }

    func stop() {
        if let pid = try? String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           let value = Int32(pid) {
            kill(value, SIGTERM)
        }
    }

    deinit { stop() }
}
