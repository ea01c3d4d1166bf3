import Foundation
import Guest
import Qcow2
import Testing
import TestSupport

/// ext2/3/4 free maps against dumpe2fs on filesystems made by mke2fs over a disk of stale bytes,
/// populated with `-d` and then with files deleted offline by debugfs.
@Suite(.enabled(if: GuestDiskMaker.have("mke2fs", "dumpe2fs", "debugfs"), "e2fsprogs is not installed"))
struct ExtFilesystemTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var mkfs: String
        var size: Int
        var options: [String]
        var kind: FilesystemKind
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "ext2 1k", mkfs: "mkfs.ext2", size: 24 << 20, options: ["-b", "1024"], kind: .ext2),
        Case(name: "ext3 4k", mkfs: "mkfs.ext3", size: 48 << 20, options: ["-b", "4096"], kind: .ext3),
        Case(name: "ext4 default", mkfs: "mkfs.ext4", size: 64 << 20, options: [], kind: .ext4),
        Case(name: "ext4 4k uninit groups", mkfs: "mkfs.ext4", size: 600 << 20, options: ["-b", "4096", "-g", "4096"], kind: .ext4),
        Case(name: "ext4 no flex_bg", mkfs: "mkfs.ext4", size: 300 << 20, options: ["-b", "4096", "-O", "^flex_bg", "-g", "4096"], kind: .ext4),
        Case(name: "ext4 meta_bg", mkfs: "mkfs.ext4", size: 300 << 20, options: ["-b", "1024", "-O", "meta_bg,^resize_inode"], kind: .ext4),
        Case(name: "ext4 64bit 2k", mkfs: "mkfs.ext4", size: 200 << 20, options: ["-b", "2048", "-O", "64bit"], kind: .ext4),
        Case(name: "ext4 32bit", mkfs: "mkfs.ext4", size: 200 << 20, options: ["-b", "4096", "-O", "^64bit", "-g", "8192"], kind: .ext4),
        Case(name: "ext4 bigalloc", mkfs: "mkfs.ext4", size: 256 << 20, options: ["-O", "bigalloc", "-C", "16384"], kind: .ext4),
        Case(name: "ext4 bigalloc 4k", mkfs: "mkfs.ext4", size: 512 << 20, options: ["-b", "4096", "-O", "bigalloc", "-C", "65536"], kind: .ext4),
        Case(name: "ext4 sparse_super2", mkfs: "mkfs.ext4", size: 300 << 20, options: ["-b", "4096", "-g", "4096", "-O", "sparse_super2"], kind: .ext4),
        Case(name: "ext4 no sparse_super", mkfs: "mkfs.ext4", size: 200 << 20, options: ["-b", "4096", "-g", "4096", "-O", "^sparse_super,^resize_inode"], kind: .ext4),
        Case(name: "ext4 flex 64 packed", mkfs: "mkfs.ext4", size: 400 << 20, options: ["-b", "1024", "-G", "64", "-E", "packed_meta_blocks=1"], kind: .ext4),
        Case(name: "ext4 meta_bg 64bit uninit", mkfs: "mkfs.ext4", size: 400 << 20, options: ["-b", "4096", "-g", "1024", "-O", "meta_bg,^resize_inode,64bit"], kind: .ext4),
        Case(name: "ext4 64k blocks", mkfs: "mkfs.ext4", size: 256 << 20, options: ["-b", "65536"], kind: .ext4),
    ]

    @Test(arguments: cases)
    func freeMapEqualsDumpe2fs(_ c: Case) throws {
        let dir = try Tools.temporaryDirectory("guest-ext")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let content = try GuestDiskMaker.populatedDirectory(in: dir)
        let disk = dir + "/disk.raw"
        try GuestDiskMaker.filledFile(disk, size: c.size)
        try GuestDiskMaker.run(c.mkfs, ["-q", "-F", "-L", "guest-\(c.kind)", "-d", content] + c.options + [disk], in: dir)
        for victim in ["/f1", "/f5", "/sub/f4", "/f10"] {
            try GuestDiskMaker.run("debugfs", ["-w", "-R", "rm \(victim)", disk], in: dir)
        }
        let oracle = try DumpE2fsOracle(disk, in: dir)
        let info = ExtFilesystem.read(try GuestDiskMaker.volume(disk))

        #expect(info.kind == c.kind)
        #expect(info.label == "guest-\(c.kind)")
        let uuid = try GuestDiskMaker.run("dumpe2fs", ["-h", disk], in: dir)
            .split(separator: "\n").first { $0.hasPrefix("Filesystem UUID:") }?.split(separator: " ").last.map(String.init)
        #expect(info.uuid == uuid)
        #expect(info.blockSize == oracle.clusterSize)
        #expect(info.findings.isEmpty, "\(info.findings)")
        #expect(!info.possiblyStale)
        let ours = info.freeUnits(volumeStart: 0)
        #expect(ours == oracle.freeClusters)
        let free = oracle.freeClusters.reduce(0) { $0 + UInt64($1.count) }
        #expect(info.freeBlocks == free)
        #expect(info.freeBlocks.map { $0 * oracle.clusterSize / oracle.blockSize } == oracle.superblockFree)
        #expect(oracle.groupFree.reduce(0, +) == free)
        // The Sleuth Kit as an independent reader of the totals (its blkls lists are off by one block
        // in group 0 on these images, so only fsstat's free count is compared), where it reads the fs.
        if let fsstat = GuestDiskMaker.tool("fsstat"), let out = try? Tools.run([fsstat, disk], in: dir), out.status == 0,
           let line = out.stdout.split(separator: "\n").first(where: { $0.hasPrefix("Free Blocks: ") }) {
            #expect(info.freeBlocks.map { $0 * oracle.clusterSize / oracle.blockSize } == UInt64(line.dropFirst("Free Blocks: ".count)))
        }
        #expect(info.blocks == (oracle.blockCount * oracle.blockSize + oracle.clusterSize - 1) / oracle.clusterSize)
    }
}

extension ExtFilesystemTests {
    /// The kernel's own allocations (where a loop mount is allowed): files written across several
    /// flex groups — initialising BLOCK_UNINIT groups as it goes — then some deleted, unmounted.
    @Test func kernelWrittenExt4EqualsDumpe2fs() throws {
        let dir = try Tools.temporaryDirectory("guest-ext-kernel")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let disk = dir + "/disk.raw"
        try GuestDiskMaker.filledFile(disk, size: 600 << 20)
        try GuestDiskMaker.run("mkfs.ext4", ["-q", "-F", "-b", "4096", "-g", "4096", "-G", "4", disk], in: dir)
        let mounted = try LoopMount.with(disk, in: dir) { point in
            for i in 0..<8 {
                try FileManager.default.createDirectory(atPath: "\(point)/d\(i)", withIntermediateDirectories: true)
                FileManager.default.createFile(atPath: "\(point)/d\(i)/big", contents: Data(repeating: UInt8(i + 1), count: 9_000_000))
                FileManager.default.createFile(atPath: "\(point)/d\(i)/small", contents: Data(repeating: 3, count: 5000))
            }
            _ = try Tools.run(["sync"], in: dir)
            for i in [1, 4, 6] { try FileManager.default.removeItem(atPath: "\(point)/d\(i)/big") }
        }
        guard mounted else { return }
        let oracle = try DumpE2fsOracle(disk, in: dir)
        let info = ExtFilesystem.read(try GuestDiskMaker.volume(disk))
        #expect(info.findings.isEmpty, "\(info.findings)")
        #expect(info.freeUnits(volumeStart: 0) == oracle.freeClusters)
        #expect(info.freeBlocks == oracle.superblockFree)
    }
}
