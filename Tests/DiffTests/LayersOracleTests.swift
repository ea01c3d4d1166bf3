import Qcow2
import Analysis
import Foundation
import Reports
import Testing
import TestSupport

/// `diff --layers` against `qemu-img map` of the chain and of the top layer opened alone, and
/// against what `qemu-img commit` changes in a copy of the base.
@Suite(.enabled(if: Tools.qemu)) struct LayersOracleTests {
    static let base = ["qemu-img create -q -f qcow2 base.qcow2 16M",
                       "qemu-io -c write|-P|1|0|4M -c write|-c|-P|2|4M|1M base.qcow2",
                       "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 top.qcow2"]

    /// Present ranges of a `qemu-img map --output=json` (optionally only those at `depth`).
    static func mapRanges(_ scratch: Scratch, _ target: String, depth: Int? = nil) throws -> [Range<UInt64>] {
        let result = try Tools.run(["qemu-img", "map", "-U", "--output=json", target], in: scratch.path)
        guard result.status == 0, case .array(let entries) = try JSONParser.parse(result.stdout) else {
            throw DiffSetupFailure(description: "qemu-img map \(target): \(result.stderr)")
        }
        var out: [Range<UInt64>] = []
        for e in entries {
            guard e["present"] == .bool(true), case .uint(let start)? = e["start"], case .uint(let length)? = e["length"] else { continue }
            if let depth, e["depth"] != .uint(UInt64(depth)) { continue }
            if let last = out.last, last.upperBound == start { out[out.count - 1] = last.lowerBound..<start + length }
            else { out.append(start..<start + length) }
        }
        return out
    }

    /// Bytes in both sorted range lists (computed here independently of the library's own).
    static func overlap(_ a: [Range<UInt64>], _ b: [Range<UInt64>]) -> UInt64 {
        a.reduce(0) { sum, r in sum + b.reduce(0) { $0 + UInt64(max(0, Int64(min(r.upperBound, $1.upperBound)) - Int64(max(r.lowerBound, $1.lowerBound)))) } }
    }

    static func bytes(_ ranges: [Range<UInt64>]) -> UInt64 { ranges.reduce(0) { $0 + UInt64($1.count) } }

    /// The top layer alone, its backing cut.
    static let topAlone = #"json:{"driver":"qcow2","backing":null,"file":{"driver":"file","filename":"top.qcow2"}}"#

    static func accounting(_ scratch: Scratch) throws -> LayerAccounting {
        let image = try Qcow2Image(path: scratch.path + "/top.qcow2")
        return try LayerAccounting.compute(chain: BackingChain.open(top: image), snapshots: image.readSnapshots().snapshots)
    }

    @Test func ownShadowedAndCommit() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.run(Self.base + ["qemu-io -c write|-P|3|64k|64k -c write|-z|1M|128k -c write|-P|5|3M|512k "
                                     + "-c write|-P|4|10M|64k top.qcow2",
                                     "qemu-img snapshot -c s1 top.qcow2",
                                     "qemu-io -c write|-P|6|64k|64k -c write|-P|7|11M|64k top.qcow2"])
        let result = try Self.accounting(scratch)
        let layers = result.rows.filter { $0.kind == .layer }
        #expect(layers.map(\.depth) == [0, 1])
        for row in layers {
            #expect(row.ownBytes == Self.bytes(try Self.mapRanges(scratch, "top.qcow2", depth: row.depth)), "own bytes of depth \(row.depth)")
        }
        let top = try Self.mapRanges(scratch, Self.topAlone)
        let base = try Self.mapRanges(scratch, "base.qcow2")
        #expect(result.commitBytes == Self.bytes(top))
        #expect(layers[0].shadowedBytes == Self.overlap(top, base))
        #expect(layers[1].shadowedBytes == 0)
        // The snapshot keeps 64k+64k (rewritten since) and nothing else of its own.
        let snapshot = try #require(result.rows.first { $0.kind == .snapshot })
        #expect(snapshot.name == "s1" && snapshot.ownBytes == 65536)

        // Commit into a copy: the base changes only where the top holds data, and then reads as the chain did.
        try scratch.run(["cp base.qcow2 cbase.qcow2", "cp top.qcow2 ctop.qcow2",
                         "qemu-img rebase -u -b cbase.qcow2 -F qcow2 ctop.qcow2"])
        let chainBefore = try scratch.export("active", image: "ctop.qcow2")
        let mapBefore = try Tools.run(["qemu-img", "map", "--output=json", "cbase.qcow2"], in: scratch.path).stdout
        try scratch.run(["qemu-img commit -q ctop.qcow2"])
        let mapAfter = try Tools.run(["qemu-img", "map", "--output=json", "cbase.qcow2"], in: scratch.path).stdout
        #expect(mapBefore != mapAfter)
        #expect(sameBytes(try scratch.export("file:cbase.qcow2"), chainBefore))
    }

    /// Where the top writes only over unallocated base clusters, the base's map changes by exactly commit-bytes.
    @Test func commitBytesEqualMapChange() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.run(Self.base + ["qemu-io -c write|-P|4|8M|256k -c write|-P|5|12M|64k -c write|-P|6|14M|4k top.qcow2"])
        let result = try Self.accounting(scratch)
        let before = try Self.mapRanges(scratch, "base.qcow2")
        try scratch.run(["qemu-img commit -q top.qcow2"])
        let after = try Self.mapRanges(scratch, "base.qcow2")
        #expect(result.commitBytes == Self.bytes(after) - Self.bytes(before))
        #expect(result.commitBytes == 256 * 1024 + 2 * 65536)
    }
}
