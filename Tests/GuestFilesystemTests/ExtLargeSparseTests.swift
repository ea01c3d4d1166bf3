import Foundation
import Guest
import Qcow2
import Testing
import TestSupport

/// A 1 TiB ext4 made on a sparse file (8192 groups): the free map must equal dumpe2fs and be read in
/// batches — the descriptor table and the bitmaps in large reads, BLOCK_UNINIT groups not at all.
@Suite(.enabled(if: GuestDiskMaker.have("mkfs.ext4", "dumpe2fs"), "e2fsprogs is not installed"))
struct ExtLargeSparseTests {
    @Test(arguments: [[], ["-O", "^metadata_csum,^uninit_bg"]])
    func terabyteExt4IsReadInBatches(_ options: [String]) throws {
        let dir = try Tools.temporaryDirectory("guest-ext-large")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let disk = dir + "/disk.raw"
        FileManager.default.createFile(atPath: disk, contents: nil)
        try GuestDiskMaker.run("truncate", ["-s", "1T", disk], in: dir)
        try GuestDiskMaker.run("mkfs.ext4", ["-q", "-F"] + options + [disk], in: dir)
        let file = try ReadOnlyFile(path: disk)
        let counting = PatchedSource(size: file.size, base: file)
        let info = ExtFilesystem.read(VolumeReader(source: counting))
        let oracle = try DumpE2fsOracle(disk, in: dir)
        #expect(info.findings.isEmpty, "\(info.findings)")
        #expect(info.freeUnits(volumeStart: 0) == oracle.freeClusters)
        #expect(info.freeBlocks == oracle.superblockFree)
        #expect(info.blocks == 1 << 28)
        // 8192 groups: 512 KiB of descriptors (one read) and one bitmap block per group. flex_bg puts
        // the bitmaps of 16 groups side by side at the start of each flex group, so they are read 16
        // at a time (BLOCK_UNINIT groups not at all): about 8192 / 16 reads, not 8192.
        #expect(counting.reads <= 8192 / 16 + 16, "\(counting.reads) reads")
    }
}
