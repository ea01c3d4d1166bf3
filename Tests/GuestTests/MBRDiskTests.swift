import Foundation
import Guest
import Testing
import TestSupport

/// An MBR disk with primaries and logical partitions holding FAT16, NTFS, swap, FAT32 and FAT12,
/// made with sfdisk, mkfs.vfat, mkntfs and mkswap over old data, populated (mtools, ntfscp) and with
/// files deleted offline (mdel; ntfstruncate frees a file's clusters, as deleting it would — NTFS
/// has no offline delete tool). Oracles: sfdisk --json, The Sleuth Kit's blkls, mtools' mdir, blkid.
@Suite(.enabled(if: GuestDiskMaker.have("sfdisk", "mkfs.vfat", "mkntfs", "ntfscp", "ntfstruncate", "mkswap", "mcopy",
                                         "mdel", "mdir", "blkls", "blkid"), "needs fdisk, dosfstools, ntfs-3g, mtools, sleuthkit"))
struct MBRDiskTests {
    /// (number, start sector, sectors, type) of the partitions the script makes.
    static let script = """
        label: dos
        start=2048, size=20480, type=6
        start=22528, size=30720, type=7
        start=53248, type=5
        start=55296, size=8192, type=82
        start=65536, size=69632, type=c
        start=137216, size=4096, type=1
        """

    struct Disk {
        var directory: String
        var layout: GuestDiskLayout
        func volume(_ number: Int) throws -> GuestVolume { try #require(layout.volumes.first { $0.partition == number }) }
        /// The UUID (or FAT/NTFS serial) blkid reads at the volume's offset.
        func blkidUUID(_ volume: GuestVolume) throws -> String {
            try GuestDiskMaker.sh("blkid -p -O \(volume.start) -s UUID -o value disk.img", in: directory)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Makes the disk once per test (a second or two).
    static func make() throws -> Disk {
        let dir = try Tools.temporaryDirectory("guest-mbr")
        try GuestDiskMaker.filled("disk.img", bytes: 147_456 * 512, in: dir)
        try GuestDiskMaker.sh("printf '%s\\n' '\(script.split(separator: "\n").joined(separator: "' '"))' | sfdisk -q disk.img", in: dir)
        try GuestDiskMaker.randomFiles([100_000, 300_000, 50_000, 70_000, 5_000], in: dir)
        func fat(_ name: String, sectors: UInt64, at start: UInt64, _ options: String, delete: [String]) throws {
            try GuestDiskMaker.filled(name, bytes: sectors * 512, in: dir)
            try GuestDiskMaker.sh("mkfs.vfat \(options) \(name) >/dev/null && mcopy -i \(name) f0 f1 f2 f3 f4 ::/", in: dir)
            for file in delete { try GuestDiskMaker.sh("mdel -i \(name) ::/\(file)", in: dir) }
            try GuestDiskMaker.place(name, into: "disk.img", at: start * 512, in: dir)
        }
        try fat("p1.img", sectors: 20480, at: 2048, "-F 16 -n FAT16VOL", delete: ["f1", "f3"])
        try fat("p6.img", sectors: 69632, at: 65536, "-F 32 -s 1 -n FAT32VOL", delete: ["f0"])
        try fat("p7.img", sectors: 4096, at: 137216, "-F 12 -n FAT12VOL", delete: ["f2"])
        try GuestDiskMaker.filled("p2.img", bytes: 30720 * 512, in: dir)
        try GuestDiskMaker.sh("mkntfs -Q -F -L WINVOL p2.img >/dev/null 2>&1 && for f in f0 f1 f2 f3; do ntfscp -f p2.img $f $f >/dev/null; done", in: dir)
        let inode = try GuestDiskMaker.sh("ntfsls -i p2.img | awk '$2==\"f1\"{print $1}'", in: dir).trimmingCharacters(in: .whitespacesAndNewlines)
        try GuestDiskMaker.sh("ntfstruncate p2.img \(inode) 0x80 0 >/dev/null", in: dir)
        try GuestDiskMaker.place("p2.img", into: "disk.img", at: 22528 * 512, in: dir)
        try GuestDiskMaker.filled("p5.img", bytes: 8192 * 512, in: dir)
        try GuestDiskMaker.sh("mkswap -L SWAPVOL p5.img >/dev/null", in: dir)
        try GuestDiskMaker.place("p5.img", into: "disk.img", at: 55296 * 512, in: dir)
        return Disk(directory: dir, layout: try GuestDiskMaker.layout(dir + "/disk.img"))
    }

    @Test func partitionsEqualSfdisk() throws {
        let disk = try Self.make()
        defer { try? FileManager.default.removeItem(atPath: disk.directory) }
        let theirs = try GuestDiskMaker.sfdiskPartitions("disk.img", in: disk.directory).filter { $0.type != "5" }
        #expect(disk.layout.table == .mbr)
        #expect(disk.layout.findings.isEmpty, "\(disk.layout.findings)")
        #expect(disk.layout.volumes.map(\.partition) == theirs.map(\.number))
        for (ours, expected) in zip(disk.layout.volumes, theirs) {
            #expect(ours.table == .mbr)
            #expect(ours.start == expected.start * 512)
            #expect(ours.length == expected.size * 512)
            #expect(ours.type == "0x" + (expected.type.count == 1 ? "0" : "") + expected.type)
        }
        #expect(disk.layout.volumes.map(\.filesystem.kind) == [.vfat, .ntfs, .swap, .vfat, .vfat])
    }

    @Test func fatFreeMapsEqualSleuthKitAndMtools() throws {
        let disk = try Self.make()
        defer { try? FileManager.default.removeItem(atPath: disk.directory) }
        for (number, label, type) in [(1, "FAT16VOL", "FAT16"), (6, "FAT32VOL", "FAT32"), (7, "FAT12VOL", "FAT12")] {
            let volume = try disk.volume(number)
            let fs = volume.filesystem
            #expect(fs.label == label)
            #expect(fs.details.first { $0.0 == "type" }?.1 == type)
            #expect(fs.findings.isEmpty, "\(fs.findings)")
            // blkls also lists the sectors after the last whole cluster; the free map is of clusters.
            let clusterAreaEnd = volume.start + (try GuestDiskMaker.fatClusterAreaEnd("disk.img", sectorOffset: volume.start / 512, in: disk.directory))
            let tsk = try GuestDiskMaker.tskFreeExtents("disk.img", sectorOffset: volume.start / 512, unit: 512, in: disk.directory)
                .clipped(below: clusterAreaEnd)
            #expect(fs.freeExtents == tsk, "partition \(number): free extents differ from blkls -A")
            let blockSize = try #require(fs.blockSize), free = try #require(fs.freeBlocks)
            #expect(fs.freeExtents.reduce(0) { $0 + $1.length } == free * blockSize)
            let mdir = try GuestDiskMaker.sh("mdir -i disk.img@@\(volume.start) ::/ | grep 'bytes free'", in: disk.directory)
            let bytesFree = UInt64(mdir.filter(\.isNumber))
            #expect(bytesFree == free * blockSize, "partition \(number): mdir says \(mdir)")
            #expect(fs.uuid == (try disk.blkidUUID(volume)))
        }
    }

    @Test func ntfsFreeMapEqualsSleuthKit() throws {
        let disk = try Self.make()
        defer { try? FileManager.default.removeItem(atPath: disk.directory) }
        let volume = try disk.volume(2)
        let fs = volume.filesystem
        #expect(fs.kind == .ntfs)
        #expect(fs.label == "WINVOL")
        #expect(fs.findings.isEmpty, "\(fs.findings)")
        let clusterSize = try #require(fs.blockSize)
        let tsk = try GuestDiskMaker.tskFreeExtents("disk.img", sectorOffset: volume.start / 512, unit: clusterSize, in: disk.directory)
        #expect(fs.freeExtents == tsk)
        #expect(fs.freeBlocks == tsk.reduce(0) { $0 + $1.length } / clusterSize)
        #expect(fs.uuid == (try disk.blkidUUID(volume)))
    }

    @Test func swapIsFreeButItsHeader() throws {
        let disk = try Self.make()
        defer { try? FileManager.default.removeItem(atPath: disk.directory) }
        let volume = try disk.volume(5)
        let fs = volume.filesystem
        #expect(fs.label == "SWAPVOL")
        #expect(fs.uuid == (try disk.blkidUUID(volume)))
        #expect(fs.blockSize == 4096)
        #expect(fs.blocks == volume.length / 4096)
        #expect(fs.freeBlocks == volume.length / 4096 - 1)
        #expect(fs.freeExtents == [GuestExtent(start: volume.start + 4096, length: volume.length - 4096)])
    }
}
