import Foundation
import Guest
import Qcow2
import Testing
import TestSupport

/// A filesystem shut down while mounted (xfs_io's `shutdown`, which ext4 honours too) keeps a log
/// to replay: ext4 sets needs_recovery, XFS leaves a log whose last record is not an unmount
/// record. Both must be findings with the numbers marked possibly stale. Needs a loop mount: where
/// the machine refuses one the tests return without checking.
@Suite(.serialized, .enabled(if: GuestDiskMaker.have("mkfs.ext4", "mkfs.xfs", "xfs_io", "dumpe2fs", "xfs_repair"), "e2fsprogs/xfsprogs missing"))
struct StaleStateTests {
    /// Mounts `disk`, writes and deletes a little, shuts the filesystem down without flushing its
    /// log, unmounts. False when the machine cannot loop-mount.
    private func crash(_ disk: String, in dir: String) throws -> Bool {
        try LoopMount.with(disk, in: dir) { point in
            FileManager.default.createFile(atPath: point + "/written", contents: Data(repeating: 7, count: 3_000_000))
            _ = try Tools.run(["sync"], in: dir)
            try? FileManager.default.removeItem(atPath: point + "/written")
            FileManager.default.createFile(atPath: point + "/late", contents: Data(repeating: 9, count: 500_000))
            let xfsIO = try #require(GuestDiskMaker.tool("xfs_io"))
            let out = try Tools.run([xfsIO, "-x", "-c", "shutdown", point], in: dir)
            #expect(out.status == 0, "\(out.stderr)")
        }
    }

    @Test func ext4NeedsRecoveryIsAFinding() throws {
        let dir = try Tools.temporaryDirectory("guest-stale")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let disk = dir + "/disk.raw"
        try GuestDiskMaker.filledFile(disk, size: 64 << 20)
        try GuestDiskMaker.run("mkfs.ext4", ["-q", "-F", disk], in: dir)
        guard try crash(disk, in: dir) else { return }
        let header = try GuestDiskMaker.run("dumpe2fs", ["-h", disk], in: dir)
        #expect(header.contains("needs_recovery"))
        let info = ExtFilesystem.read(try GuestDiskMaker.volume(disk))
        #expect(info.possiblyStale)
        #expect(info.isAnalysed)
        #expect(info.findings.contains { $0.structure == .extSuperblock && $0.message.contains("needs_recovery") })
    }

    @Test func xfsDirtyLogIsAFinding() throws {
        let dir = try Tools.temporaryDirectory("guest-stale")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let disk = dir + "/disk.raw"
        try GuestDiskMaker.filledFile(disk, size: 300 << 20)
        try GuestDiskMaker.run("mkfs.xfs", ["-q", "-f", disk], in: dir)
        let clean = XFSFilesystem.read(try GuestDiskMaker.volume(disk))
        #expect(clean.details.contains { $0 == ("log", "clean") })
        guard try crash(disk, in: dir) else { return }
        // The oracle: xfs_repair -n refuses a filesystem whose log needs replaying.
        let repair = try Tools.run([try #require(GuestDiskMaker.tool("xfs_repair")), "-n", disk], in: dir)
        #expect(repair.status != 0)
        #expect((repair.stdout + repair.stderr).contains("log"))
        let info = XFSFilesystem.read(try GuestDiskMaker.volume(disk))
        #expect(info.possiblyStale)
        #expect(info.isAnalysed)
        #expect(info.details.contains { $0 == ("log", "dirty") })
        #expect(info.findings.contains { $0.structure == .xfsLog })
    }
}
