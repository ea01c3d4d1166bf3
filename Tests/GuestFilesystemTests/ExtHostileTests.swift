import Foundation
import Guest
import Qcow2
import Testing
import TestSupport

/// Hostile ext superblocks and descriptors over a real small ext4 (or over zeros): each is a
/// finding naming the structure; nothing crashes, hangs or allocates what a field asks for.
@Suite(.enabled(if: GuestDiskMaker.have("mkfs.ext4"), "e2fsprogs is not installed"))
struct ExtHostileTests {
    static let sb: UInt64 = 1024

    /// A fresh 64 MiB ext4 with 4 KiB blocks and two groups (BLOCK_UNINIT on the second).
    private func baseImage(_ dir: String) throws -> ReadOnlyFile {
        let disk = dir + "/disk.raw"
        FileManager.default.createFile(atPath: disk, contents: nil)
        try GuestDiskMaker.run("truncate", ["-s", "64M", disk], in: dir)
        try GuestDiskMaker.run("mkfs.ext4", ["-q", "-F", "-b", "4096", "-g", "8192", disk], in: dir)
        return try ReadOnlyFile(path: disk)
    }

    static let absurd: [(String, [(UInt64, [UInt8])])] = [
        ("blocks per group 0", [(sb + 0x20, le(0, 4))]),
        ("blocks per group 2^32-1", [(sb + 0x20, le(0xFFFF_FFFF, 4)), (sb + 0x24, le(0xFFFF_FFFF, 4))]),
        ("log block size 40", [(sb + 0x18, le(40, 4))]),
        ("descriptor size 3", [(sb + 0xFE, le(3, 2))]),
        ("first data block 7", [(sb + 0x14, le(7, 4))]),
        ("bigalloc cluster smaller than block", [(sb + 0x64, le(0x200 | 0x1, 4)), (sb + 0x1C, le(0, 4))]),
    ]

    @Test(arguments: absurd.map(\.0))
    func absurdGeometryIsAFinding(_ name: String) throws {
        let dir = try Tools.temporaryDirectory("guest-ext-hostile")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let base = try baseImage(dir)
        let patches = try #require(Self.absurd.first { $0.0 == name }).1
        let info = ExtFilesystem.read(VolumeReader(source: PatchedSource(size: base.size, base: base, patches: patches)))
        #expect(info.kind == .ext4)
        #expect(!info.isAnalysed)
        #expect(info.findings.contains { $0.structure == .extSuperblock && $0.offset == Self.sb })
    }

    @Test func blocksCountPastTheVolumeIsClipped() throws {
        let dir = try Tools.temporaryDirectory("guest-ext-hostile")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let base = try baseImage(dir)
        let honest = ExtFilesystem.read(VolumeReader(source: base))
        let source = PatchedSource(size: base.size, base: base, patches: [(Self.sb + 0x04, le(0xFFFF_FF00, 4)), (Self.sb + 0x150, le(1, 4))])
        let info = ExtFilesystem.read(VolumeReader(source: source))
        #expect(info.possiblyStale)
        #expect(info.findings.contains { $0.message.contains("run past the end of its volume") })
        #expect((info.freeBlocks ?? 0) <= (honest.freeBlocks ?? 0))
        #expect(info.freeExtents.allSatisfy { $0.end <= base.size })
    }

    /// 1 TiB of zeros whose superblock claims 256-block groups: a million groups whose descriptors
    /// all point their bitmap at block 0. Bounded reads, capped findings, nothing free.
    @Test func millionGroupsOfZerosStayBounded() throws {
        let patches: [(UInt64, [UInt8])] = [
            (Self.sb + 0x04, le(1 << 28, 4)), (Self.sb + 0x18, le(2, 4)), (Self.sb + 0x1C, le(2, 4)),
            (Self.sb + 0x20, le(256, 4)), (Self.sb + 0x24, le(256, 4)), (Self.sb + 0x38, le(0xEF53, 2)),
        ]
        let source = PatchedSource(size: 1 << 40, patches: patches)
        let info = ExtFilesystem.read(VolumeReader(source: source))
        // Bounded work, counted in reads rather than seconds (a timed test fails on a busy machine):
        // the descriptor table comes in large batches, about 1,025 reads for the million groups.
        #expect(source.reads <= 2048, "\(source.reads) reads")
        #expect(info.freeBlocks == 0)
        #expect(info.findings.count <= 70)
        #expect(info.findings.contains { $0.structure == .extGroupDescriptors && $0.message.contains("outside the volume") })
    }

    @Test func descriptorTablePastTheEndCountsAsUsed() throws {
        let dir = try Tools.temporaryDirectory("guest-ext-hostile")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let base = try baseImage(dir)
        // The volume ends inside block 0: the descriptor table (block 1) lies past its end.
        let info = ExtFilesystem.read(VolumeReader(source: base, start: 0, length: 4096))
        #expect(info.freeBlocks == 0)
        #expect(info.possiblyStale)
        #expect(info.findings.contains { $0.structure == .extGroupDescriptors })
    }

    @Test func bitmapOutsideTheVolumeIsAFindingAndUsed() throws {
        let dir = try Tools.temporaryDirectory("guest-ext-hostile")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let base = try baseImage(dir)
        let honest = ExtFilesystem.read(VolumeReader(source: base))
        // Group 0's descriptor (block 1): block bitmap lo/hi → far past the end.
        let source = PatchedSource(size: base.size, base: base, patches: [(4096 + 0x00, le(0xFFFF_FFF0, 4)), (4096 + 0x20, le(0x10, 4))])
        let info = ExtFilesystem.read(VolumeReader(source: source))
        #expect(info.findings.contains { $0.structure == .extGroupDescriptors && $0.message.contains("group 0: block bitmap") })
        #expect((info.freeBlocks ?? .max) < (honest.freeBlocks ?? 0))
        #expect(info.freeExtents.allSatisfy { $0.start >= 8192 * 4096 })
    }
}
