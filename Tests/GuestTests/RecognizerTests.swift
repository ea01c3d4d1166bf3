import Foundation
import Guest
import Qcow2
import Testing

/// Volumes that are recognised and named but not analysed (btrfs, LUKS, a swap area holding a
/// hibernation image), from headers laid out as util-linux libblkid reads them (mkfs.btrfs and
/// cryptsetup are not test dependencies).
struct RecognizerTests {
    static func volume(_ size: Int, _ edits: [(Int, [UInt8])]) -> VolumeReader {
        var bytes = [UInt8](repeating: 0xA5, count: size)
        for (offset, data) in edits { bytes.replaceSubrange(offset..<offset + data.count, with: data) }
        return VolumeReader(source: MemoryByteSource(bytes))
    }

    @Test func btrfsIsNamedWithLabelAndUUID() {
        let fsid: [UInt8] = (0..<16).map { UInt8($0 * 17) }
        let label = Array("home".utf8) + [0]
        let v = Self.volume(0x20000, [(0x10020, fsid), (0x10040, Array("_BHRfS_M".utf8)), (0x1012B, label)])
        let info = FilesystemProbe.read(v)
        #expect(info.kind == .btrfs)
        #expect(info.label == "home")
        #expect(info.uuid == "00112233-4455-6677-8899-aabbccddeeff")
        #expect(!info.isAnalysed && info.notAnalysedReason != nil)
    }

    @Test(arguments: [UInt8(1), 2])
    func luksIsNamedAndNotAnalysed(version: UInt8) {
        let uuid = Array("0f3e1b7a-5c8d-4c2e-9a6b-2d4f8e1c7b90".utf8) + [0]
        let label = Array("secret".utf8) + [0]
        let v = Self.volume(0x8000, [(0, [0x4C, 0x55, 0x4B, 0x53, 0xBA, 0xBE, 0, version]), (0x18, label), (0xA8, uuid)])
        let info = FilesystemProbe.read(v)
        #expect(info.kind == .luks)
        #expect(info.uuid == "0f3e1b7a-5c8d-4c2e-9a6b-2d4f8e1c7b90")
        #expect(info.label == (version == 2 ? "secret" : nil))
        #expect(!info.isAnalysed)
    }

    @Test func hibernationImageInSwapIsNotAnalysed() {
        let v = Self.volume(0x10000, [(0x400, [1, 0, 0, 0, 15, 0, 0, 0]), (0xFF6, Array("S1SUSPEND\0".utf8))])
        let info = FilesystemProbe.read(v)
        #expect(info.kind == .swap)
        #expect(!info.isAnalysed)
        #expect(info.notAnalysedReason?.contains("hibernation") == true)
    }

    @Test func bigEndianSwapIsRead() {
        let v = Self.volume(0x10000, [(0x400, [0, 0, 0, 1, 0, 0, 0, 15]), (0xFF6, Array("SWAPSPACE2".utf8))])
        let info = FilesystemProbe.read(v)
        #expect(info.blocks == 16 && info.freeBlocks == 15)
    }
}
