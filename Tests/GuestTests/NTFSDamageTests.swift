import Foundation
@testable import Guest
import Qcow2
import Testing
import TestSupport

/// A real NTFS (mkntfs) with its $Bitmap record damaged in memory: a data run pointing past the
/// volume, a torn record (fixup mismatch). Each is a finding naming the structure; nothing crashes.
@Suite(.enabled(if: GuestDiskMaker.have("mkntfs"), "needs ntfs-3g"))
struct NTFSDamageTests {
    /// The volume's bytes and the offset of MFT record 6 ($Bitmap).
    static func make() throws -> (bytes: [UInt8], record6: Int) {
        let dir = try Tools.temporaryDirectory("guest-ntfs")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try GuestDiskMaker.filled("v.img", bytes: 8 << 20, in: dir)
        try GuestDiskMaker.sh("mkntfs -Q -F v.img >/dev/null 2>&1", in: dir)
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: dir + "/v.img")))
        let clusterSize = Int(bytes.le16(0x0B)) * Int(bytes[0x0D])
        return (bytes, Int(bytes.le64(0x30)) * clusterSize + 6 * 1024)
    }

    static func read(_ bytes: [UInt8]) -> FilesystemInfo {
        NTFSFilesystem.read(VolumeReader(source: MemoryByteSource(bytes)))
    }

    @Test func intactVolumeHasNoFindings() throws {
        let (bytes, _) = try Self.make()
        let info = Self.read(bytes)
        #expect(info.findings.isEmpty, "\(info.findings)")
        #expect(info.freeBlocks ?? 0 > 0)
    }

    @Test func bitmapRunPastTheVolumeIsAFinding() throws {
        var (bytes, record) = try Self.make()
        var attribute = record + Int(bytes.le16(record + 0x14))
        while bytes.le32(attribute) != 0x80 { attribute += Int(bytes.le32(attribute + 4)) }
        let runs = attribute + Int(bytes.le16(attribute + 0x20))
        let lengthBytes = Int(bytes[runs] & 0xF), offsetBytes = Int(bytes[runs] >> 4)
        for i in 0..<offsetBytes { bytes[runs + 1 + lengthBytes + i] = i == offsetBytes - 1 ? 0x7F : 0xFF }
        let info = Self.read(bytes)
        #expect(info.kind == .ntfs)
        #expect(info.findings.contains { $0.structure == .ntfsBitmap && $0.message.contains("past the volume") }, "\(info.findings)")
        #expect(info.freeBlocks == 0)
    }

    @Test func tornRecordIsAFinding() throws {
        var (bytes, record) = try Self.make()
        bytes[record + 510] ^= 0xFF
        let info = Self.read(bytes)
        #expect(info.findings.contains { $0.structure == .ntfsMFTRecord && $0.message.contains("torn") }, "\(info.findings)")
        #expect(info.notAnalysedReason != nil)
    }

    @Test func absurdBootSectorFieldsAreRefused() throws {
        var (bytes, _) = try Self.make()
        bytes[0x40] = 0x81  // MFT record size 2^127
        let info = Self.read(bytes)
        #expect(info.findings.first?.structure == .ntfsBootSector)
        #expect(info.notAnalysedReason != nil)
    }
}
