import Foundation
import Guest
import Testing
import TestSupport

/// An LVM2 PV on a GPT partition, made with pvcreate/vgcreate/lvcreate on a loop device over the
/// partition (no device-mapper here: LVs are created unactivated, `--driverloaded n`, and their
/// filesystems written at the LV's extents by hand). `lva` is two segments (extended after `lvb`
/// was made), so its FAT is read through both pieces. Oracles: `lvs` segment PE ranges, `pvs`
/// allocation counts, blkls on the FAT image mapped through the pieces.
@Suite(.enabled(if: GuestDiskMaker.have("losetup", "pvcreate", "vgcreate", "lvcreate", "lvs", "sgdisk", "mkfs.vfat", "mkswap", "blkls"),
                "needs lvm2, util-linux, gdisk, dosfstools, sleuthkit"))
struct LVMDiskTests {
    static let partitionStart: UInt64 = 4096 * 512
    static let partitionSectors: UInt64 = 110_592

    struct Made {
        var directory: String
        var pieces: [String: [GuestExtent]] = [:]
        var peStart: UInt64 = 0
        var peCount: UInt64 = 0
        var allocated: UInt64 = 0
        var uuid = ""
        var vg = ""
    }

    /// Runs lvm2 on a loop device over the partition, then detaches it (also when a step fails). The
    /// VG is not removed (that would wipe the metadata under test): without device-mapper nothing
    /// of it is active, and it is gone from LVM's view once the loop device is.
    static func make() throws -> Made? {
        let dir = try Tools.temporaryDirectory("guest-lvm")
        var made = Made(directory: dir)
        try GuestDiskMaker.filled("disk.img", bytes: 4096 * 512 + partitionSectors * 512 + 2048 * 512, in: dir)
        try GuestDiskMaker.sh("sgdisk -n 1:2048:4095 -t 1:8300 -n 2:4096:+\(partitionSectors) -t 2:8E00 disk.img >/dev/null", in: dir)
        guard let device = try? GuestDiskMaker.sh("losetup -f --show -o \(partitionStart) --sizelimit \(partitionSectors * 512) disk.img", in: dir)
            .trimmingCharacters(in: .whitespacesAndNewlines), !device.isEmpty else { return nil }
        defer { _ = try? GuestDiskMaker.sh("losetup -d \(device)", in: dir) }
        made.vg = "qsvg" + String(UUID().uuidString.prefix(8))
        let config = "--config 'activation { udev_sync=0 udev_rules=0 } devices { filter=[\"a|\(device)|\",\"r|.*|\"] use_devicesfile=0 }'"
        let lvm = "LVM_SUPPRESS_FD_WARNINGS=1 "
        let quiet = ">/dev/null 2>&1"
        try GuestDiskMaker.sh(lvm + "pvcreate \(config) \(device) \(quiet)", in: dir)
        try GuestDiskMaker.sh(lvm + "vgcreate \(config) -s 1M \(made.vg) \(device) \(quiet)", in: dir)
        for (name, size) in [("lva", "8M"), ("lvb", "6M")] {
            try GuestDiskMaker.sh(lvm + "lvcreate \(config) --driverloaded n -Zn -an -L \(size) -n \(name) \(made.vg) \(quiet)", in: dir)
        }
        try GuestDiskMaker.sh(lvm + "lvextend \(config) --driverloaded n -L +4M \(made.vg)/lva \(quiet)", in: dir)
        let pv = try GuestDiskMaker.sh(lvm + "pvs \(config) --noheadings --units b --nosuffix --separator '|' -o pe_start,pv_pe_count,pv_pe_alloc_count,pv_uuid 2>/dev/null", in: dir)
        let fields = pv.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").map(String.init)
        guard fields.count == 4 else { return nil }
        made.peStart = UInt64(fields[0]) ?? 0
        made.peCount = UInt64(fields[1]) ?? 0
        made.allocated = UInt64(fields[2]) ?? 0
        made.uuid = fields[3]
        let segments = try GuestDiskMaker.sh(lvm + "lvs \(config) --noheadings --separator '|' -o lv_name,seg_pe_ranges \(made.vg) 2>/dev/null", in: dir)
        for line in segments.split(separator: "\n") {
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: "|")
            guard parts.count == 2, let range = parts[1].split(separator: ":").last else { continue }
            let bounds = range.split(separator: "-").compactMap { UInt64($0) }
            guard bounds.count == 2 else { continue }
            let start = partitionStart + made.peStart + bounds[0] << 20
            made.pieces[String(parts[0]), default: []].append(GuestExtent(start: start, length: (bounds[1] - bounds[0] + 1) << 20))
        }
        return made
    }

    @Test func logicalVolumesEqualLvsAndTheirFilesystemsAreRead() throws {
        guard let made = try Self.make() else {
            print("skipped: no loop device for LVM")
            return
        }
        let dir = made.directory
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lva = try #require(made.pieces["lva"]), lvb = try #require(made.pieces["lvb"])
        #expect(lva.count == 2)
        // The filesystems, written where the LVs' extents are.
        try GuestDiskMaker.randomFiles([200_000, 500_000, 80_000], in: dir)
        try GuestDiskMaker.filled("lva.img", bytes: 12 << 20, in: dir)
        try GuestDiskMaker.sh("mkfs.vfat -F 16 -s 1 -n LVFAT lva.img >/dev/null && mcopy -i lva.img f0 f1 f2 ::/ && mdel -i lva.img ::/f1", in: dir)
        var within: UInt64 = 0
        for piece in lva {
            try GuestDiskMaker.sh("dd if=lva.img of=disk.img bs=1M skip=\(within >> 20) seek=\(piece.start >> 20) count=\(piece.length >> 20) conv=notrunc status=none", in: dir)
            within += piece.length
        }
        try GuestDiskMaker.filled("lvb.img", bytes: 6 << 20, in: dir)
        try GuestDiskMaker.sh("mkswap -L LVSWAP lvb.img >/dev/null", in: dir)
        try GuestDiskMaker.place("lvb.img", into: "disk.img", at: lvb[0].start, in: dir)

        let layout = try GuestDiskMaker.layout(dir + "/disk.img")
        #expect(layout.findings.isEmpty, "\(layout.findings)")
        #expect(layout.volumes.map(\.filesystem.kind) == [.unknown, .lvm2, .vfat, .swap])
        let pv = try #require(layout.volumes.first { $0.filesystem.kind == .lvm2 })
        #expect(pv.partition == 2)
        #expect(pv.filesystem.uuid == made.uuid)
        #expect(pv.filesystem.findings.isEmpty, "\(pv.filesystem.findings)")
        #expect(pv.filesystem.blockSize == 1 << 20)
        #expect(pv.filesystem.blocks == made.peCount)
        #expect(pv.filesystem.freeBlocks == made.peCount - made.allocated)

        let a = try #require(layout.volumes.first { $0.name == "lva" })
        let b = try #require(layout.volumes.first { $0.name == "lvb" })
        #expect(a.table == .lvm && a.partition == nil)
        #expect(a.segments == lva && a.start == lva[0].start && a.length == 12 << 20)
        #expect(b.segments == lvb && b.length == 6 << 20)
        #expect(b.filesystem.label == "LVSWAP")
        // Every guest byte once: the PV keeps what no LV covers.
        let all = (pv.segments + a.segments + b.segments).sorted()
        #expect(all.reduce(0) { $0 + $1.length } == pv.length)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.end == $1.start })

        // lva's FAT: blkls on the image, mapped through the LV's two pieces.
        #expect(a.filesystem.label == "LVFAT")
        #expect(a.filesystem.findings.isEmpty, "\(a.filesystem.findings)")
        let end = try GuestDiskMaker.fatClusterAreaEnd("lva.img", sectorOffset: 0, in: dir)
        let local = try GuestDiskMaker.tskFreeExtents("lva.img", sectorOffset: 0, unit: 512, in: dir).clipped(below: end)
        #expect(a.filesystem.freeExtents == Self.map(local, through: lva))
    }

    /// LV-relative extents → guest extents through `pieces`.
    static func map(_ extents: [GuestExtent], through pieces: [GuestExtent]) -> [GuestExtent] {
        var out: [GuestExtent] = []
        for extent in extents {
            var position = extent.start, lvStart: UInt64 = 0
            for piece in pieces {
                let lvEnd = lvStart + piece.length
                if position < lvEnd, position < extent.end {
                    let count = min(extent.end, lvEnd) - position
                    let start = piece.start + position - lvStart
                    if let last = out.last, last.end == start { out[out.count - 1].length += count } else {
                        out.append(GuestExtent(start: start, length: count))
                    }
                    position += count
                }
                lvStart = lvEnd
            }
        }
        return out.sorted()
    }
}
