import Foundation
import Guest
import Qcow2
import Testing
import TestSupport

/// Disks with no partition table: a filesystem on the whole disk is one volume (table "none",
/// partition nil, start 0); a disk of old data alone is one volume of kind unknown, never an error.
struct WholeDiskTests {
    @Test(.enabled(if: GuestDiskMaker.have("mkfs.ext4", "mkfs.vfat", "mkntfs"), "needs e2fsprogs, dosfstools, ntfs-3g"),
          arguments: [("mkfs.ext4 -q -F -L WHOLE disk.img", FilesystemKind.ext4, "WHOLE"),
                      ("mkfs.vfat -F 32 -n WHOLE disk.img", .vfat, "WHOLE"),
                      ("mkntfs -Q -F -L WHOLE disk.img", .ntfs, "WHOLE")])
    func filesystemOnTheWholeDisk(command: String, kind: FilesystemKind, label: String) throws {
        let dir = try Tools.temporaryDirectory("guest-whole")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try GuestDiskMaker.filled("disk.img", bytes: 40 << 20, in: dir)
        try GuestDiskMaker.sh(command + " >/dev/null 2>&1", in: dir)
        let layout = try GuestDiskMaker.layout(dir + "/disk.img")
        #expect(layout.table == .none)
        #expect(layout.findings.isEmpty)
        let volume = try #require(layout.volumes.first)
        #expect(layout.volumes.count == 1)
        #expect(volume.table == .none && volume.partition == nil && volume.type == nil)
        #expect(volume.start == 0 && volume.length == 40 << 20)
        #expect(volume.filesystem.kind == kind)
        #expect(volume.filesystem.label == label)
        #expect(volume.filesystem.isAnalysed)
    }

    @Test func oldDataAloneIsOneUnknownVolume() {
        let layout = GuestDiskLayout.read(VolumeReader(source: MemoryByteSource([UInt8](repeating: 0xA5, count: 1 << 20))))
        #expect(layout.table == .none)
        #expect(layout.findings.isEmpty)
        #expect(layout.volumes.map(\.filesystem.kind) == [.unknown])
        #expect(layout.volumes.first?.filesystem.notAnalysedReason != nil)
    }

    @Test func emptyDiskHasOneEmptyVolume() {
        let layout = GuestDiskLayout.read(VolumeReader(source: MemoryByteSource([])))
        #expect(layout.diskSize == 0)
        #expect(layout.volumes.count == 1)
    }
}
