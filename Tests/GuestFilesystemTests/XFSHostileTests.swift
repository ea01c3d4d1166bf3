import Foundation
import Guest
import Qcow2
import Testing
import TestSupport

/// Hostile XFS headers and free-space trees over a real mkfs.xfs image (sparse, 4 AGs): loops,
/// absurd levels and counts are findings; nothing crashes, hangs or allocates what a field asks for.
@Suite(.enabled(if: GuestDiskMaker.have("mkfs.xfs", "xfs_db"), "xfsprogs is not installed"))
struct XFSHostileTests {
    /// AG 0's AGF (one 512-byte sector in) and AGFL (three sectors in).
    static let agf: UInt64 = 512
    static let agfl: UInt64 = 1536

    private func baseImage(_ dir: String) throws -> ReadOnlyFile {
        let disk = dir + "/disk.raw"
        FileManager.default.createFile(atPath: disk, contents: nil)
        try GuestDiskMaker.run("truncate", ["-s", "320M", disk], in: dir)
        try GuestDiskMaker.run("mkfs.xfs", ["-q", "-f", "-d", "agcount=4", disk], in: dir)
        return try ReadOnlyFile(path: disk)
    }

    private func read(_ base: ReadOnlyFile, _ patches: [(UInt64, [UInt8])], size: UInt64? = nil) -> FilesystemInfo {
        XFSFilesystem.read(VolumeReader(source: PatchedSource(size: size ?? base.size, base: base, patches: patches)))
    }

    @Test func absurdSuperblocksAreFindings() throws {
        let dir = try Tools.temporaryDirectory("guest-xfs-hostile")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let base = try baseImage(dir)
        for patch in [(UInt64(0x58), be(0xFFFF_FFFF, 4)), (0x54, be(3, 4)), (0x04, be(3000, 4)), (0x66, be(0, 2)), (0x64, be(0xB4A7, 2))] {
            let info = read(base, [patch])
            #expect(!info.isAnalysed, "patch at \(patch.0)")
            #expect(info.findings.contains { $0.structure == .xfsSuperblock })
        }
    }

    /// agcount and dblocks consistent with each other but a thousand times the volume: AGs past the
    /// end are one finding, not millions of reads.
    @Test func agcountPastTheVolumeIsBounded() throws {
        let dir = try Tools.temporaryDirectory("guest-xfs-hostile")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let base = try baseImage(dir)
        let agBlocks = UInt64(20480)
        let info = read(base, [(0x58, be(0x7FFF_FFFF, 4)), (0x08, be(0x7FFF_FFFF * agBlocks, 8))])
        #expect(info.isAnalysed)
        #expect(info.possiblyStale)
        #expect(info.findings.contains { $0.message.contains("start past the end of the volume") })
    }

    @Test func absurdTreeLevelsAreAFinding() throws {
        let dir = try Tools.temporaryDirectory("guest-xfs-hostile")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let base = try baseImage(dir)
        let honest = XFSFilesystem.read(VolumeReader(source: base))
        let info = read(base, [(Self.agf + 0x1C, be(1000, 4))])
        #expect(info.findings.contains { $0.structure == .xfsAGF && $0.message.contains("1000 levels") })
        #expect((info.freeBlocks ?? .max) < (honest.freeBlocks ?? 0))
        #expect(info.possiblyStale)
    }

    /// The bnobt root rewritten as a node whose two children are itself.
    @Test func treeLoopIsAFinding() throws {
        let dir = try Tools.temporaryDirectory("guest-xfs-hostile")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let base = try baseImage(dir)
        let agfBytes = try base.readBytes(512, at: Self.agf, for: .xfsAGF)
        let root = UInt64(agfBytes[0x10]) << 24 | UInt64(agfBytes[0x11]) << 16 | UInt64(agfBytes[0x12]) << 8 | UInt64(agfBytes[0x13])
        let block = root * 4096
        let pointers = block + 56 + 8 * ((4096 - 56) / 12)
        let info = read(base, [(Self.agf + 0x1C, be(2, 4)), (block + 4, be(1, 2) + be(2, 2)), (pointers, be(root, 4) + be(root, 4))])
        #expect(info.findings.contains { $0.structure == .xfsFreeSpaceBtree && $0.message.contains("reached twice") })
        #expect(info.isAnalysed)
    }

    @Test func freeListOutOfRangeIsAFinding() throws {
        let dir = try Tools.temporaryDirectory("guest-xfs-hostile")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let base = try baseImage(dir)
        let info = read(base, [(Self.agf + 0x28, be(100_000, 4))])
        #expect(info.findings.contains { $0.structure == .xfsAGFL })
        // A free-list entry pointing past the AG is skipped with a finding.
        let entry = read(base, [(Self.agfl + 36 + 4, be(0xFFFF_FFF0, 4))])
        #expect(entry.findings.contains { $0.structure == .xfsAGFL && $0.message.contains("outside the AG") })
    }

    @Test func truncatedVolumeClipsTheMap() throws {
        let dir = try Tools.temporaryDirectory("guest-xfs-hostile")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let base = try baseImage(dir)
        let info = XFSFilesystem.read(VolumeReader(source: base, start: 0, length: 100 << 20))
        #expect(info.possiblyStale)
        #expect(info.freeExtents.allSatisfy { $0.end <= 100 << 20 })
        #expect(info.findings.contains { $0.message.contains("run past the end of its volume") })
    }
}
