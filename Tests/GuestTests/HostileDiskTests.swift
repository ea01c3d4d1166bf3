import Foundation
@testable import Guest
import Qcow2
import Testing

/// Hostile disks built in memory: loops and absurd counts in partition tables, LVM metadata that is
/// garbage, huge or deeply nested, filesystem headers whose counts exceed the volume. Each is a
/// finding naming the structure — never a crash, a hang or an allocation the field asks for.
struct HostileDiskTests {
    /// A zeroed disk of `sectors` 512-byte sectors with `edits` applied (offset → bytes).
    static func disk(sectors: Int, _ edits: [(Int, [UInt8])]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: sectors * 512)
        for (offset, data) in edits { bytes.replaceSubrange(offset..<offset + data.count, with: data) }
        return bytes
    }

    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    static func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    /// A 16-byte MBR/EBR slot.
    static func slot(type: UInt8, start: UInt32, sectors: UInt32) -> [UInt8] {
        [0, 0, 0, 0, type, 0, 0, 0] + le32(start) + le32(sectors)
    }

    static func read(_ bytes: [UInt8]) -> GuestDiskLayout {
        GuestDiskLayout.read(VolumeReader(source: MemoryByteSource(bytes)))
    }

    @Test func ebrChainThatLoopsEndsWithAFinding() {
        // Extended container at LBA 100; its EBR names a logical and links back to itself.
        let bytes = Self.disk(sectors: 400, [
            (0x1BE, Self.slot(type: 0x83, start: 1, sectors: 50)),
            (0x1CE, Self.slot(type: 0x05, start: 100, sectors: 300)),
            (510, [0x55, 0xAA]),
            (100 * 512 + 0x1BE, Self.slot(type: 0x83, start: 1, sectors: 10)),
            (100 * 512 + 0x1CE, Self.slot(type: 0x05, start: 0, sectors: 300)),
            (100 * 512 + 510, [0x55, 0xAA]),
        ])
        let layout = Self.read(bytes)
        #expect(layout.table == .mbr)
        #expect(layout.volumes.map(\.partition) == [1, 5])
        #expect(layout.findings.contains { $0.structure == .extendedPartition && $0.message.contains("loops") && $0.offset == 100 * 512 })
    }

    @Test func ebrChainLongerThanTheCapStops() {
        // 300 EBRs, each linking to the next: the walk stops at the cap.
        var edits: [(Int, [UInt8])] = [(0x1BE, Self.slot(type: 0x0F, start: 1, sectors: 700)), (510, [0x55, 0xAA])]
        for i in 0..<300 {
            let at = (1 + 2 * i) * 512
            edits.append((at + 0x1BE, Self.slot(type: 0x83, start: 1, sectors: 1)))
            edits.append((at + 0x1CE, Self.slot(type: 0x05, start: UInt32(2 * i + 2), sectors: 2)))
            edits.append((at + 510, [0x55, 0xAA]))
        }
        let layout = Self.read(Self.disk(sectors: 702, edits))
        #expect(layout.volumes.count == MBRTable.maxChainLength)
        #expect(layout.findings.contains { $0.structure == .extendedPartition && $0.message.contains("longer than") })
    }

    @Test func mbrPartitionPastTheDiskIsClipped() {
        let bytes = Self.disk(sectors: 100, [(0x1BE, Self.slot(type: 0x83, start: 10, sectors: 0xFFFF_FFFF)), (510, [0x55, 0xAA])])
        let layout = Self.read(bytes)
        #expect(layout.volumes.first?.length == 90 * 512)
        #expect(layout.findings.contains { $0.structure == .mbr && $0.message.contains("clipped") })
    }

    /// A GPT header at LBA 1 with a valid CRC over the given fields.
    static func gptHeader(entries: UInt32, entrySize: UInt32, entriesLBA: UInt64 = 2, lastLBA: UInt64) -> [UInt8] {
        var h = Array("EFI PART".utf8) + [0, 0, 1, 0] + le32(92) + le32(0) + le32(0)
        h += le64(1) + le64(lastLBA) + le64(34) + le64(lastLBA - 33) + [UInt8](repeating: 7, count: 16)
        h += le64(entriesLBA) + le32(entries) + le32(entrySize) + le32(0)
        let crc = CRC32.ieee(h)
        h.replaceSubrange(0x10..<0x14, with: le32(crc))
        return h
    }

    @Test(arguments: [(UInt32.max, UInt32(128)), (128, 0x8000_0000), (1 << 20, 128), (128, 100)])
    func absurdGPTEntryGeometryIsRefused(entries: UInt32, entrySize: UInt32) {
        let bytes = Self.disk(sectors: 200, [
            (0x1BE, Self.slot(type: 0xEE, start: 1, sectors: 199)), (510, [0x55, 0xAA]),
            (512, Self.gptHeader(entries: entries, entrySize: entrySize, lastLBA: 199)),
        ])
        let layout = Self.read(bytes)
        #expect(layout.table == .gpt)
        #expect(layout.volumes.isEmpty)
        #expect(layout.findings.first?.structure == .gptHeader)
        #expect(layout.findings.contains { $0.message.contains("neither the primary nor the backup") })
    }

    @Test func gptEntryArrayPastTheDiskIsAFinding() {
        let bytes = Self.disk(sectors: 200, [
            (0x1BE, Self.slot(type: 0xEE, start: 1, sectors: 199)), (510, [0x55, 0xAA]),
            (512, Self.gptHeader(entries: 128, entrySize: 128, entriesLBA: UInt64.max / 512, lastLBA: 199)),
        ])
        let layout = Self.read(bytes)
        #expect(layout.volumes.isEmpty)
        #expect(layout.findings.contains { $0.structure == .gptEntries })
    }

    static let hostileTexts: [(String, String)] = [
        ("garbage", "\u{1}\u{2}{{{ = = ]]"),
        ("deep", String(repeating: "a {\n", count: 5000) + String(repeating: "}\n", count: 5000)),
        ("deep list", "vg { x = " + String(repeating: "[", count: 100_000) + " }"),
        ("unclosed string", "vg { id = \"abc"),
        ("many values", "vg { x = [" + String(repeating: "1,", count: 300_000) + "] }"),
    ]

    @Test(arguments: hostileTexts)
    func lvmMetadataTextIsBounded(name: String, text: String) {
        #expect(throws: FormatError.self, "\(name)") { try LVMConfig.parse(Array(text.utf8), baseOffset: 0x1000) }
    }

    @Test func lvmMetadataWithoutAVolumeGroupOrWithAbsurdNumbers() throws {
        let noGroup = try LVMConfig.parse(Array("contents = \"Text\"\nversion = 1\n".utf8), baseOffset: 0)
        #expect(throws: FormatError.self) { try LVMVolumeGroup(noGroup, at: 0) }
        let absurd = try LVMConfig.parse(Array("vg { extent_size = -5 }".utf8), baseOffset: 0)
        #expect(throws: FormatError.self) { try LVMVolumeGroup(absurd, at: 0) }
        let stripes = try LVMConfig.parse(Array("""
            vg { extent_size = 8192
              logical_volumes { lv { segment1 { start_extent = 0 extent_count = 4 type = "striped" stripe_count = 3 stripes = ["pv0", 0] } } } }
            """.utf8), baseOffset: 0)
        #expect(throws: FormatError.self) { try LVMVolumeGroup(stripes, at: 0) }
    }

    /// A PV whose label and metadata header are valid but whose text size is huge, then whose text
    /// is garbage: the PV is listed (kind lvm2, not analysed) with a finding; nothing else breaks.
    @Test(arguments: [("huge", UInt64(1) << 40), ("garbage", 64)])
    func lvmPhysicalVolumeWithBadMetadata(name: String, textSize: UInt64) {
        var label = Array("LABELONE".utf8) + Self.le64(1) + Self.le32(0) + Self.le32(0x20) + Array("LVM2 001".utf8)
        label += Array("abcdefghijklmnopqrstuvwxyz012345".utf8) + Self.le64(1 << 20)
        label += Self.le64(1 << 20) + Self.le64(0) + Self.le64(0) + Self.le64(0)      // data area, terminator
        label += Self.le64(0x1000) + Self.le64(0xFF000) + Self.le64(0) + Self.le64(0) // metadata area, terminator
        label += [UInt8](repeating: 0, count: 512 - label.count)
        label.replaceSubrange(0x10..<0x14, with: Self.le32(CRC32.lvm(label[0x14..<512])))
        var mda = Self.le32(0) + Array(" LVM2 x[5A%r0N*>".utf8) + Self.le32(1) + Self.le64(0x1000) + Self.le64(0xFF000)
        mda += Self.le64(0x200) + Self.le64(textSize) + Self.le32(0) + Self.le32(0)
        mda += [UInt8](repeating: 0, count: 512 - mda.count)
        mda.replaceSubrange(0..<4, with: Self.le32(CRC32.lvm(mda[4..<512])))
        let garbage = [UInt8](repeating: 0x7B, count: 64)  // "{{{{…"
        var bytes = Self.disk(sectors: 4096, [(512, label), (0x1000, mda), (0x1200, garbage)])
        bytes.replaceSubrange(0x1038..<0x103C, with: Self.le32(CRC32.lvm(garbage)))
        let layout = Self.read(bytes)
        let pv = layout.volumes.first
        #expect(layout.volumes.count == 1)
        #expect(pv?.filesystem.kind == .lvm2)
        #expect(pv?.filesystem.notAnalysedReason != nil)
        #expect(pv?.filesystem.findings.contains { $0.structure == .lvmMetadata } == true, "\(name)")
    }

    @Test func fatCountsBeyondTheVolumeAreClipped() {
        // A FAT16 BPB claiming 0xFFFFFFFF sectors on a 1 MiB volume.
        var boot = [UInt8](repeating: 0, count: 512)
        boot.replaceSubrange(0x0B..<0x0D, with: [0x00, 0x02])
        boot[0x0D] = 4; boot[0x0E] = 1; boot[0x10] = 2; boot[0x11] = 0; boot[0x12] = 2; boot[0x15] = 0xF8
        boot.replaceSubrange(0x16..<0x18, with: [0xFF, 0x00])
        boot.replaceSubrange(0x20..<0x24, with: Self.le32(.max))
        boot[510] = 0x55; boot[511] = 0xAA
        let info = FATFilesystem.read(VolumeReader(source: MemoryByteSource(Self.disk(sectors: 2048, [(0, boot)]))))
        #expect(info.kind == .vfat)
        #expect(info.findings.contains { $0.structure == .fatBootSector })
        #expect((info.blocks ?? .max) <= 2048 / 4)
    }

    @Test func swapLastPageBeyondTheVolumeIsClipped() {
        let header = Self.le32(1) + Self.le32(.max)
        let bytes = Self.disk(sectors: 64, [(0x400, header), (4096 - 10, Array("SWAPSPACE2".utf8))])
        let info = SwapSpace.read(VolumeReader(source: MemoryByteSource(bytes)))
        #expect(info.blocks == 8)
        #expect(info.freeBlocks == 7)
        #expect(info.findings.contains { $0.structure == .swapHeader })
    }
}
