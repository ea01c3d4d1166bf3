import Qcow2
import Analysis
import Foundation
import Reports
import Testing
import TestSupport

/// `bitmaps --audit`: bitmaps added with `qemu-img bitmap --add` when a snapshot is taken, then
/// writes made with qemu-io while a bitmap is enabled or disabled (`qemu-img bitmap --disable`),
/// so the ranges each bitmap must have missed are known.
@Suite(.enabled(if: Tools.qemu)) struct AuditOracleTests {
    static func audit(_ scratch: Scratch, snapshot: String) throws -> BitmapAuditReport {
        let image = try Qcow2Image(path: scratch.path + "/top.qcow2")
        let chain = BackingChain.open(top: image)
        let from = try DiffState.resolve(snapshot, chain: chain, snapshots: image.readSnapshots().snapshots, limits: DecodingLimits())
        let diff = try MetadataDiff.compute(from: from, to: try DiffState.active(chain))
        return BitmapAuditReport(bitmaps: BitmapExtents.decodeAll(image).bitmaps, diff: diff, snapshot: snapshot,
                                 filename: "top.qcow2", findings: [])
    }

    @Test func missedWhileDisabled() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.run(["qemu-img create -q -f qcow2 top.qcow2 16M",
                         "qemu-io -c write|-P|1|0|2M top.qcow2",
                         "qemu-img snapshot -c s1 top.qcow2",
                         "qemu-img bitmap --add top.qcow2 always",
                         "qemu-img bitmap --add top.qcow2 gappy",
                         "qemu-img bitmap --add -g 256k top.qcow2 coarse",
                         "qemu-io -c write|-P|3|64k|64k top.qcow2",
                         "qemu-img bitmap --disable top.qcow2 gappy",
                         // Missed by gappy: 1M+128k, and 8M+4k (a partial cluster: 64 KiB granule).
                         "qemu-io -c write|-P|4|1M|128k -c write|-P|4|8M|4k -c write|-P|9|64k|4k top.qcow2",
                         "qemu-img bitmap --enable top.qcow2 gappy",
                         "qemu-io -c write|-z|12M|64k top.qcow2"])
        let report = try Self.audit(scratch, snapshot: "s1")
        let byName = Dictionary(uniqueKeysWithValues: report.audits.map { ($0.name.string, $0) })
        let always = try #require(byName["always"]), gappy = try #require(byName["gappy"]), coarse = try #require(byName["coarse"])
        #expect(always.verdict == .complete && always.missedBytes == 0 && always.spuriousBytes == 0)
        #expect(gappy.verdict == .missedChanges)
        #expect(gappy.missedExtents == [DirtyExtent(start: 1 << 20, length: 128 << 10), DirtyExtent(start: 8 << 20, length: 64 << 10)])
        #expect(gappy.missedBytes == 192 << 10)
        // 256 KiB granules: the changes at 64k, 1M, 8M and 12M each dirty one whole granule.
        #expect(coarse.verdict == .complete && coarse.granularity == 256 << 10 && coarse.dirtyBytes == 4 * (256 << 10))

        let json = try JSONParser.parse(report.json().rendered())
        guard case .array(let bitmaps)? = json["bitmaps"] else { Issue.record("no bitmaps"); return }
        for b in bitmaps {
            for key in ["name", "missed-extents", "missed-bytes", "spurious-bytes", "verdict"] { #expect(b[key] != nil, "\(key)") }
        }
    }

    /// A bitmap cleared after the snapshot's later writes marks more than changed: spurious, still complete.
    @Test func spuriousIsHarmless() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.run(["qemu-img create -q -f qcow2 top.qcow2 4M",
                         "qemu-img bitmap --add top.qcow2 early",
                         "qemu-io -c write|-P|1|0|1M top.qcow2",
                         "qemu-img snapshot -c s1 top.qcow2",
                         "qemu-io -c write|-P|2|2M|64k top.qcow2"])
        let audit = try #require(try Self.audit(scratch, snapshot: "s1").audits.first)
        #expect(audit.verdict == .complete && audit.missedBytes == 0 && audit.spuriousBytes == 1 << 20)
    }
}
