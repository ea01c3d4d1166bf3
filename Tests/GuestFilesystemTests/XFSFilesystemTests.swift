import Foundation
import Guest
import Qcow2
import Testing
import TestSupport

/// XFS v4/v5 free maps against xfs_db on filesystems made by mkfs.xfs over a disk of stale bytes,
/// populated from a protofile, then (where a loop mount is allowed) with files written and deleted.
@Suite(.serialized, .enabled(if: GuestDiskMaker.have("mkfs.xfs", "xfs_db"), "xfsprogs is not installed"))
struct XFSFilesystemTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var size: Int
        var options: [String]
        var version: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "v5 4 AGs", size: 320 << 20, options: ["-d", "agcount=4"], version: "v5"),
        Case(name: "v5 1k blocks", size: 300 << 20, options: ["-b", "size=1024", "-d", "agcount=3"], version: "v5"),
        Case(name: "v4", size: 400 << 20, options: ["-m", "crc=0", "-d", "agcount=4"], version: "v4"),
        Case(name: "v4 4k sectors", size: 300 << 20, options: ["-m", "crc=0", "-s", "size=4096"], version: "v4"),
        Case(name: "v5 rmapbt", size: 400 << 20, options: ["-m", "rmapbt=1", "-d", "agcount=2"], version: "v5"),
    ]

    @Test(arguments: cases)
    func freeMapEqualsXFSDB(_ c: Case) throws {
        let dir = try Tools.temporaryDirectory("guest-xfs")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let content = try GuestDiskMaker.populatedDirectory(in: dir)
        let proto = dir + "/proto"
        try XFSProto.write(content, to: proto)
        let disk = dir + "/disk.raw"
        try GuestDiskMaker.filledFile(disk, size: c.size)
        try GuestDiskMaker.run("mkfs.xfs", ["-q", "-f", "-L", "guest-xfs", "-p", proto] + c.options + [disk], in: dir)
        let churned = try LoopMount.churn(disk, in: dir)

        let oracle = try XFSDBOracle(disk, in: dir)
        let info = XFSFilesystem.read(try GuestDiskMaker.volume(disk))
        #expect(info.kind == .xfs)
        #expect(info.label == "guest-xfs")
        #expect(info.details.contains { $0 == ("version", c.version) })
        #expect(info.details.contains { $0 == ("log", "clean") })
        #expect(info.findings.isEmpty, "\(info.findings)")
        #expect(!info.possiblyStale)
        #expect(info.blockSize == oracle.blockSize)
        #expect(info.freeUnits(volumeStart: 0) == oracle.freeBlocks, "churned: \(churned)")
        #expect(info.freeBlocks == oracle.freeTotal)
        #expect(info.freeBlocks.map { $0 + oracle.btreeBlocks } == oracle.fdblocks)
        let uuid = try GuestDiskMaker.run("xfs_db", ["-r", "-c", "uuid", disk], in: dir)
        #expect(uuid.contains(info.uuid ?? "none"))
    }
}

extension XFSFilesystemTests {
    /// Hundreds of one-block holes (every other small file deleted) make the by-block B+tree grow
    /// a level: the node blocks' pointers must be followed, as xfs_db does. Also a log with a stripe
    /// unit, whose records are padded, must still read as clean.
    @Test func fragmentedFreeSpaceHasAMultiLevelTree() throws {
        let dir = try Tools.temporaryDirectory("guest-xfs-frag")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let disk = dir + "/disk.raw"
        try GuestDiskMaker.filledFile(disk, size: 300 << 20)
        try GuestDiskMaker.run("mkfs.xfs", ["-q", "-f", "-b", "size=1024", "-d", "agcount=2", "-l", "su=32k", disk], in: dir)
        let mounted = try LoopMount.with(disk, in: dir) { point in
            let block = [UInt8](repeating: 0x5A, count: 1024)
            for i in 0..<1200 { FileManager.default.createFile(atPath: "\(point)/s\(i)", contents: Data(block)) }
            _ = try Tools.run(["sync"], in: dir)
            for i in stride(from: 0, to: 1200, by: 2) { try FileManager.default.removeItem(atPath: "\(point)/s\(i)") }
        }
        guard mounted else { return }
        let levels = try GuestDiskMaker.run("xfs_db", ["-r", "-c", "agf 0", "-c", "p bnolevel", disk], in: dir)
        #expect(levels.contains("bnolevel = 2") || levels.contains("bnolevel = 3"), "\(levels)")
        let oracle = try XFSDBOracle(disk, in: dir)
        let info = XFSFilesystem.read(try GuestDiskMaker.volume(disk))
        #expect(info.findings.isEmpty, "\(info.findings)")
        #expect(info.details.contains { $0 == ("log", "clean") })
        #expect(info.freeUnits(volumeStart: 0) == oracle.freeBlocks)
        #expect(info.freeBlocks.map { $0 + oracle.btreeBlocks } == oracle.fdblocks)
        #expect(oracle.btreeBlocks > 0)
    }
}
