import Foundation
import Guest
import Qcow2
import Testing

/// The raw guest disks the fuzzer starts from (Fuzz/seeds, made by Fuzz/make-guest-seeds.sh) read
/// as expected, so the seeds keep reaching the parsers they are there for.
struct FuzzSeedTests {
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fuzz/seeds").standardizedFileURL.path

    static func layout(_ name: String) throws -> GuestDiskLayout {
        GuestDiskLayout.read(VolumeReader(source: try ReadOnlyFile(path: seeds + "/" + name)))
    }

    @Test func seedsReachTheirParsers() throws {
        let mbr = try Self.layout("guest-mbr-logicals.img")
        #expect(mbr.table == .mbr && mbr.volumes.map(\.partition) == [1, 5, 6, 7])
        let gpt = try Self.layout("guest-gpt.img")
        #expect(gpt.table == .gpt && gpt.volumes.map(\.partition) == [1, 3] && gpt.findings.isEmpty)
        let fat = try Self.layout("guest-fat12.img")
        #expect(fat.volumes.first?.filesystem.kind == .vfat && fat.volumes.first?.filesystem.label == "SEED")
        let swap = try Self.layout("guest-swap.img")
        #expect(swap.volumes.first?.filesystem.kind == .swap)
        // The PV is cut to 128 KiB: its metadata is read, its LVs lie past the end (findings).
        let pv = try Self.layout("guest-lvm-pv.img")
        #expect(pv.volumes.first?.filesystem.kind == .lvm2)
        #expect(pv.volumes.first?.filesystem.details.first?.1 == "seedvg")
        #expect(pv.volumes.dropFirst().map(\.name) == ["a", "b"])
        #expect(pv.volumes.dropFirst().allSatisfy { $0.segments.isEmpty && $0.filesystem.notAnalysedReason != nil })
        #expect(pv.findings.contains { $0.structure == .lvmMetadata })
    }
}
