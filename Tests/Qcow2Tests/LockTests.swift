import Foundation
import Testing
@testable import Qcow2

/// A running QEMU holds OFD locks on bytes 100-299; we must still open the image and say so.
@Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/qemu-io")))
func detectsQEMULocks() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qcowscope-lock-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("held.qcow2").path
    let create = Process()
    create.executableURL = URL(fileURLWithPath: "/usr/bin/qemu-img")
    create.arguments = ["create", "-q", "-f", "qcow2", path, "1M"]
    try create.run()
    create.waitUntilExit()

    let free = try ReadOnlyFile(path: path)
    #expect(free.isLockedByAnotherProcess() == false)

    // qemu-io in interactive mode keeps the image open (and locked) until stdin closes.
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/usr/bin/qemu-io")
    holder.arguments = [path]
    let input = Pipe()
    holder.standardInput = input
    holder.standardOutput = FileHandle.nullDevice
    try holder.run()
    defer { try? input.fileHandleForWriting.close(); holder.waitUntilExit() }
    var locked = false
    for _ in 0..<50 where !locked {
        usleep(50_000)
        locked = (try ReadOnlyFile(path: path)).isLockedByAnotherProcess() == true
    }
    #expect(locked)
}
