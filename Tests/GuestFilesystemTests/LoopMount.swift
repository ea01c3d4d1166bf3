import Foundation
import TestSupport

/// Loop-mounts a disk image where the machine allows it (root, loop devices), to change a
/// filesystem the way a guest would; every mount is undone before returning.
enum LoopMount {
    /// Runs `body` with the image mounted at a fresh directory; false when it cannot be mounted.
    static func with(_ disk: String, in directory: String, _ body: (String) throws -> Void) throws -> Bool {
        let point = directory + "/mnt"
        try FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)
        guard getuid() == 0, let mount = GuestDiskMaker.tool("mount"),
              let mounted = try? Tools.run(["timeout", "30", mount, "-o", "loop", disk, point], in: directory),
              mounted.status == 0 else { return false }
        var unmounted = false
        defer { if !unmounted { unmount(point, in: directory, lazily: true) } }
        try body(point)
        unmounted = unmount(point, in: directory, lazily: false)
        guard unmounted else { throw GuestDiskMaker.Failure("umount \(point) failed: the image was left mounted") }
        return true
    }

    /// Unmounts `point`, retrying while it is busy (udev or blkid may still hold the new device for a
    /// moment); `lazily` detaches it whatever happens (the last resort on a failing path).
    @discardableResult
    static func unmount(_ point: String, in directory: String, lazily: Bool) -> Bool {
        let umount = GuestDiskMaker.tool("umount") ?? "umount"
        for _ in 0..<20 {
            if let out = try? Tools.run(["timeout", "60", umount, point], in: directory), out.status == 0 { return true }
            usleep(250_000)
        }
        if lazily { _ = try? Tools.run(["timeout", "60", umount, "-l", point], in: directory) }
        return false
    }

    /// Writes a few files, deletes some of them and the original content's, and unmounts cleanly.
    static func churn(_ disk: String, in directory: String) throws -> Bool {
        try with(disk, in: directory) { point in
            for i in 0..<6 {
                let bytes = Data((0..<(i + 1) * 700_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) })
                FileManager.default.createFile(atPath: "\(point)/new\(i)", contents: bytes)
            }
            for name in ["new1", "new3", "f1", "f5", "sub/f4"] {
                try? FileManager.default.removeItem(atPath: "\(point)/\(name)")
            }
            _ = try Tools.run(["sync"], in: directory)
        }
    }
}
