import Qcow2
import Analysis
import Foundation
import Reports
import Testing
import TestSupport

/// Damaged tables and chains: findings and changed ranges, never a crash, a hang or a throw
/// for entries QEMU would refuse; and the shared-table shortcut on a 4 TiB image.
@Suite(.enabled(if: Tools.qemu)) struct HostileDiffTests {
    /// Writes `value` big-endian at `offset` of a file the test made.
    static func poke(_ path: String, at offset: UInt64, _ value: UInt64) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: withUnsafeBytes(of: value.bigEndian) { Data($0) })
    }

    static func activeL1(_ path: String) throws -> (offset: UInt64, entries: [UInt64]) {
        let image = try Qcow2Image(path: path)
        return (image.header.l1TableOffset, try image.readL1Table())
    }

    @Test func impossibleEntriesInTablesTheStatesDoNotShare() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.run(["qemu-img create -q -f qcow2 top.qcow2 1G",
                         "qemu-io -c write|-P|1|0|1M -c write|-P|1|600M|1M top.qcow2",
                         "qemu-img snapshot -c s1 top.qcow2",
                         "qemu-io -c write|-P|2|64k|64k top.qcow2"])
        let path = scratch.path + "/top.qcow2"
        let (l1Offset, l1) = try Self.activeL1(path)
        let l2 = l1[0] & 0x00FF_FFFF_FFFF_FE00
        // Entry 5 of the active (copied) table: a host offset not aligned to a cluster.
        try Self.poke(path, at: l2 + 5 * 8, 0x8000_0000_0001_2300)
        // The second L1 entry (shared with s1 until now): an unaligned L2 table offset.
        try Self.poke(path, at: l1Offset + 8, 0x8000_0000_0000_1200)
        let diff = try scratch.diff("s1")
        #expect(!diff.findings.isEmpty)
        #expect(diff.extents.contains { $0.start <= 5 * 65536 && $0.end >= 6 * 65536 && $0.change == .data })
        #expect(diff.extents.contains { $0.start <= 512 << 20 && $0.end >= 1024 << 20 })
        _ = DiffReport(diff: diff, filename: "top.qcow2").text()
        // The L1 entry pointing at the L1 table itself: its entries read as L2 entries, bounded.
        try Self.poke(path, at: l1Offset + 8, 0x8000_0000_0000_0000 | l1Offset)
        _ = try scratch.diff("s1", content: false)
        _ = try Self.layers(path)
    }

    static func layers(_ path: String) throws -> LayerAccounting {
        let image = try Qcow2Image(path: path)
        return try LayerAccounting.compute(chain: BackingChain.open(top: image), snapshots: image.readSnapshots().snapshots)
    }

    @Test func chainLoop() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.run(["qemu-img create -q -f qcow2 a.qcow2 4M",
                         "qemu-img create -q -f qcow2 -b a.qcow2 -F qcow2 top.qcow2",
                         "qemu-io -c write|-P|1|0|64k top.qcow2",
                         "qemu-img rebase -u -b top.qcow2 -F qcow2 a.qcow2"])
        let diff = try scratch.diff(nil)
        #expect(diff.extents == [DiffExtent(start: 0, length: 65536, change: .data)])
        let image = try Qcow2Image(path: scratch.path + "/top.qcow2")
        #expect(!BackingChain.open(top: image).findings.isEmpty)
        _ = try Self.layers(scratch.path + "/top.qcow2")
    }

    /// Bytes that cannot be read (an encrypted image without its key): --content keeps the
    /// metadata kinds and says why, instead of failing the whole diff.
    @Test func contentOfAnEncryptedImage() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/images/luks.qcow2").path
        let image = try Qcow2Image(path: path)
        let chain = BackingChain.open(top: image)
        let metadata = try MetadataDiff.compute(from: .empty, to: try DiffState.active(chain))
        let content = try metadata.comparingContent(from: .empty, to: try DiffState.active(chain))
        #expect(content.extents == metadata.extents && !metadata.extents.isEmpty)
        #expect(content.findings.contains { $0.message.contains("encrypted") })
    }

    /// Two snapshots of a 4 TiB image: every L1 range but the written one is skipped unread.
    @Test(.timeLimit(.minutes(1))) func terabyteSnapshotsShareTables() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.run(["qemu-img create -q -f qcow2 top.qcow2 4T",
                         "qemu-io -c write|-P|1|1T|1M top.qcow2",
                         "qemu-img snapshot -c s1 top.qcow2",
                         "qemu-io -c write|-P|2|1T|64k -c write|-P|2|3T|64k top.qcow2"])
        let diff = try scratch.diff("s1")
        #expect(diff.extents == [DiffExtent(start: 1 << 40, length: 65536, change: .data),
                                 DiffExtent(start: 3 << 40, length: 65536, change: .data)])
        #expect(diff.sharedTables == 8192 - 2)
    }
}
