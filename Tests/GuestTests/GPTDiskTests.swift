import Foundation
import Guest
import Qcow2
import Testing
import TestSupport

/// GPT disks made with sgdisk over old data: the partitions (entry numbers with a gap, type GUIDs,
/// UTF-16 names) equal sfdisk --json; a damaged primary header or entry array falls back to the
/// backup with a finding; a 4Kn disk (4096-byte sectors, made on a loop device) is read too.
@Suite(.enabled(if: GuestDiskMaker.have("sgdisk", "sfdisk", "mkfs.vfat", "mkswap"), "needs gdisk, fdisk, dosfstools"))
struct GPTDiskTests {
    static let sectors: UInt64 = 65536

    /// An 32 MiB GPT disk: 1 EFI system (FAT16), 2 Linux data (unformatted), 4 swap; entry 3 unused.
    static func make() throws -> (directory: String, bytes: [UInt8]) {
        let dir = try Tools.temporaryDirectory("guest-gpt")
        try GuestDiskMaker.filled("disk.img", bytes: sectors * 512, in: dir)
        try GuestDiskMaker.sh("sgdisk -n 1:2048:+8M -t 1:EF00 -c 1:'EFI System' -n 2:0:+12M -t 2:8300 -c 2:'root fs' "
                              + "-n 4:0:+4M -t 4:8200 -c 4:'swap ü' disk.img >/dev/null", in: dir)
        try GuestDiskMaker.filled("p1.img", bytes: 8 << 20, in: dir)
        try GuestDiskMaker.sh("mkfs.vfat -F 16 -s 1 -n ESP p1.img >/dev/null", in: dir)
        try GuestDiskMaker.place("p1.img", into: "disk.img", at: 2048 * 512, in: dir)
        try GuestDiskMaker.filled("p4.img", bytes: 4 << 20, in: dir)
        try GuestDiskMaker.sh("mkswap p4.img >/dev/null", in: dir)
        try GuestDiskMaker.place("p4.img", into: "disk.img", at: 43008 * 512, in: dir)
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: dir + "/disk.img")))
        return (dir, bytes)
    }

    static func layout(_ bytes: [UInt8]) -> GuestDiskLayout {
        GuestDiskLayout.read(VolumeReader(source: MemoryByteSource(bytes)))
    }

    static func expectEqualsSfdisk(_ layout: GuestDiskLayout, _ directory: String, sectorSize: UInt64 = 512,
                                   disk: String = "disk.img") throws {
        let theirs = try GuestDiskMaker.sfdiskPartitions(disk, in: directory)
        #expect(layout.table == .gpt)
        #expect(layout.volumes.map(\.partition) == theirs.map(\.number))
        for (ours, expected) in zip(layout.volumes, theirs) {
            #expect(ours.table == .gpt)
            #expect(ours.start == expected.start * sectorSize)
            #expect(ours.length == expected.size * sectorSize)
            #expect(ours.type == expected.type)
            #expect(ours.name == expected.name)
        }
    }

    @Test func partitionsEqualSfdisk() throws {
        let (dir, bytes) = try Self.make()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layout = Self.layout(bytes)
        #expect(layout.findings.isEmpty, "\(layout.findings)")
        try Self.expectEqualsSfdisk(layout, dir)
        #expect(layout.volumes.map(\.partition) == [1, 2, 4])
        #expect(layout.volumes.map(\.filesystem.kind) == [.vfat, .unknown, .swap])
        #expect(layout.volumes.first?.filesystem.label == "ESP")
    }

    /// Each damage of the primary copy: the backup is used (same partitions), with findings naming
    /// the damaged structure and the fallback.
    @Test(arguments: [("header CRC", 0x200 + 0x38), ("entry array", 0x400 + 0x10), ("signature", 0x200)])
    func damagedPrimaryUsesBackup(damage: String, offset: Int) throws {
        let (dir, bytes) = try Self.make()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var damaged = bytes
        damaged[offset] ^= 0xFF
        let layout = Self.layout(damaged)
        try Self.expectEqualsSfdisk(layout, dir)
        #expect(layout.findings.contains { $0.message.contains("using the backup header") }, "\(damage): \(layout.findings)")
        let expected: Structure = damage == "entry array" ? .gptEntries : .gptHeader
        #expect(layout.findings.first?.structure == expected)
    }

    @Test func bothCopiesDamagedIsAFindingAndNoPartitions() throws {
        let (dir, bytes) = try Self.make()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var damaged = bytes
        damaged[0x200 + 0x38] ^= 0xFF
        damaged[damaged.count - 512 + 0x38] ^= 0xFF
        let layout = Self.layout(damaged)
        #expect(layout.table == .gpt)
        #expect(layout.volumes.isEmpty)
        #expect(layout.findings.contains { $0.severity == .error && $0.message.contains("neither") })
    }

    /// A grown disk keeps its backup at the old last LBA; a damaged backup beside a good primary is
    /// a warning. The partitions come from the primary either way.
    @Test func backupOnlyCheckedWhenThePrimaryIsGood() throws {
        let (dir, bytes) = try Self.make()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let grown = Self.layout(bytes + [UInt8](repeating: 0xA5, count: 1 << 20))
        try Self.expectEqualsSfdisk(grown, dir)
        #expect(grown.findings.map(\.severity) == [.info])
        #expect(grown.findings.first?.message.contains("not at the disk's last LBA") == true)
        var damaged = bytes
        damaged[damaged.count - 512 + 0x38] ^= 0xFF
        let layout = Self.layout(damaged)
        try Self.expectEqualsSfdisk(layout, dir)
        #expect(layout.findings.count == 1)
        #expect(layout.findings.first?.severity == .warning && layout.findings.first?.message.hasPrefix("backup GPT") == true)
    }

    @Test(.enabled(if: GuestDiskMaker.have("losetup"), "needs losetup"))
    func fourKnDisk() throws {
        let dir = try Tools.temporaryDirectory("guest-gpt4k")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try GuestDiskMaker.filled("disk.img", bytes: 16 << 20, in: dir)
        guard let device = try? GuestDiskMaker.sh("losetup -f --show -b 4096 disk.img", in: dir)
            .trimmingCharacters(in: .whitespacesAndNewlines), !device.isEmpty else {
            print("skipped: no loop device for a 4Kn disk")
            return
        }
        defer { _ = try? GuestDiskMaker.sh("losetup -d \(device)", in: dir) }
        try GuestDiskMaker.sh("sgdisk -n 1:256:+4M -t 1:8300 -c 1:data -n 2:0:0 -t 2:8E00 \(device) >/dev/null", in: dir)
        let layout = try GuestDiskMaker.layout(dir + "/disk.img")
        #expect(layout.findings.isEmpty, "\(layout.findings)")
        try Self.expectEqualsSfdisk(layout, dir, sectorSize: 4096, disk: device)
    }
}
