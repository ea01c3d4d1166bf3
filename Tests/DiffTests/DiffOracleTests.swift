import Qcow2
import Analysis
import Foundation
import Reports
import Testing
import TestSupport

/// An image history made with qemu-img/qemu-io and the state pairs to diff in it.
struct DiffCase: CustomTestStringConvertible, Sendable {
    let name: String
    let setup: [String]
    /// (from, to); from nil = the default (newest snapshot, else the backing file).
    let pairs: [(String?, String)]
    var clusterSize = 65536
    var testDescription: String { name }

    static let writesThenSnapshots = [
        "qemu-io -c write|-P|1|0|2M -c write|-P|2|4M|1M -c write|-c|-P|3|8M|256k top.qcow2",
        "qemu-img snapshot -c s1 top.qcow2",
        "qemu-io -c write|-P|9|64k|64k -c write|-z|4M|128k -c discard|1M|128k -c write|-c|-P|4|9M|64k "
            + "-c write|-P|1|192k|64k -c write|-P|2|12M|4k top.qcow2",
        "qemu-img snapshot -c s2 top.qcow2",
        "qemu-io -c write|-P|7|0|4k -c write|-z|6M|64k -c discard|4608k|64k -c write|-P|2|4352k|64k top.qcow2",
    ]

    static let all: [DiffCase] = [
        DiffCase(name: "snapshots: writes, zero writes, discards, compressed writes",
                 setup: ["qemu-img create -q -f qcow2 top.qcow2 16M"] + writesThenSnapshots,
                 pairs: [("s1", "s2"), ("s2", "active"), ("s1", "active"), ("active", "s1"), (nil, "active"), ("1", "2")]),
        DiffCase(name: "extended L2 at subcluster granularity",
                 setup: ["qemu-img create -q -f qcow2 -o extended_l2=on,cluster_size=64k top.qcow2 4M",
                         "qemu-io -c write|-P|1|0|1M -c write|-P|6|2M|8k top.qcow2",
                         "qemu-img snapshot -c s1 top.qcow2",
                         "qemu-io -c write|-P|5|8k|2k -c write|-z|20k|4k -c write|-P|1|40k|2k -c write|-P|8|2052k|2k top.qcow2"],
                 pairs: [("s1", "active"), ("active", "s1")]),
        DiffCase(name: "4 KiB clusters, compressed",
                 setup: ["qemu-img create -q -f qcow2 -o cluster_size=4k top.qcow2 2M",
                         "qemu-io -c write|-c|-P|1|0|64k -c write|-P|2|64k|64k top.qcow2",
                         "qemu-img snapshot -c s1 top.qcow2",
                         "qemu-io -c write|-c|-P|1|256k|8k -c write|-c|-P|3|192k|8k -c write|-P|4|0|4k -c write|-z|64k|4k top.qcow2"],
                 pairs: [("s1", "active")], clusterSize: 4096),
        DiffCase(name: "overlay on a qcow2 base",
                 setup: ["qemu-img create -q -f qcow2 base.qcow2 16M",
                         "qemu-io -c write|-P|1|0|4M -c write|-c|-P|2|4M|1M base.qcow2",
                         "qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 top.qcow2",
                         "qemu-io -c write|-P|3|64k|64k -c write|-z|1M|128k -c discard|2M|64k -c write|-P|1|3M|64k "
                            + "-c write|-P|4|10M|64k -c write|-z|12M|64k top.qcow2"],
                 pairs: [("backing:1", "active"), (nil, "active"), ("active", "backing:1"), ("file:base.qcow2", "active")]),
        DiffCase(name: "overlay with a snapshot, shorter raw base",
                 setup: ["qemu-img create -q -f raw base.raw 8M",
                         "qemu-io -f raw -c write|-P|1|0|2M base.raw",
                         "qemu-img create -q -f qcow2 -b base.raw -F raw top.qcow2 16M",
                         "qemu-io -c write|-P|2|1M|128k -c write|-P|3|9M|64k top.qcow2",
                         "qemu-img snapshot -c s1 top.qcow2",
                         "qemu-io -c write|-z|1M|64k -c write|-P|4|512k|64k -c write|-P|5|12M|64k top.qcow2"],
                 pairs: [("s1", "active"), ("backing:1", "active"), ("backing:1", "s1")]),
        DiffCase(name: "resized after a snapshot",
                 setup: ["qemu-img create -q -f qcow2 top.qcow2 8M",
                         "qemu-io -c write|-P|1|0|8M top.qcow2",
                         "qemu-img snapshot -c s1 top.qcow2",
                         "qemu-img resize -q top.qcow2 16M",
                         "qemu-io -c write|-P|2|7M|2M -c write|-P|3|12M|64k top.qcow2"],
                 pairs: [("s1", "active"), ("active", "s1")]),
        DiffCase(name: "random history over three snapshots, 4 KiB clusters",
                 setup: ["qemu-img create -q -f qcow2 -o cluster_size=4k top.qcow2 8M"] + randomHistory(seed: 7),
                 pairs: [("r1", "r2"), ("r1", "r3"), ("r2", "active"), ("r3", "r1"), ("r1", "active")], clusterSize: 4096),
    ]

    /// Three rounds of pseudo-random writes, zero writes, discards and compressed writes (a fixed
    /// seed: the same history every run), each round ending with a snapshot, then one more round.
    static func randomHistory(seed: UInt64) -> [String] {
        var state = seed
        func next(_ bound: UInt64) -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (state >> 33) % bound
        }
        var lines: [String] = []
        for round in 1...4 {
            var commands: [String] = []
            for _ in 0..<40 {
                let blocks = 1 + next(8)
                let offset = next(1792 - blocks) * 4096
                let length = blocks * 4096
                switch next(10) {
                case 0, 1: commands.append("-c write|-z|\(offset)|\(length)")
                case 2: commands.append("-c discard|\(offset)|\(length)")
                case 3: commands.append("-c write|-P|\(next(200) + 1)|\(offset)|\(length)")  // again below, maybe the same
                default: commands.append("-c write|-P|\(round)|\(offset)|\(length)")
                }
            }
            // Compressed writes only go to unallocated clusters: a region no other command touches.
            commands.append("-c write|-c|-P|\(round)|\(8 * 1024 * 1024 - UInt64(round) * 65536)|4096")
            lines.append("qemu-io " + commands.joined(separator: " ") + " top.qcow2")
            if round < 4 { lines.append("qemu-img snapshot -c r\(round) top.qcow2") }
        }
        return lines
    }
}

/// `diff` against raw exports of both states (`qemu-img convert`, `-l snapshot.name=`, the base
/// opened alone): the metadata diff never misses a change, `--content` is exact, and zero and
/// unallocated extents read zeros.
@Suite(.enabled(if: Tools.qemu)) struct DiffOracleTests {
    @Test(arguments: DiffCase.all)
    func oracle(_ c: DiffCase) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.run(c.setup)
        let backing = FileManager.default.fileExists(atPath: scratch.path + "/base.raw") ? "base.raw" : "base.qcow2"
        for (from, to) in c.pairs {
            let snapshots = try Qcow2Image(path: scratch.path + "/top.qcow2").readSnapshots().snapshots
            let fromName = from ?? (snapshots.last?.name.string ?? "backing:1")
            func named(_ s: String) -> String { snapshots.first { $0.id.string == s }?.name.string ?? s }
            let a = try scratch.export(named(fromName), backing: backing)
            let b = try scratch.export(named(to), backing: backing)
            let metadata = try scratch.diff(from, to)
            #expect(oracleViolations(metadata, a: a, b: b, clusterSize: c.clusterSize) == [], "\(c.name): \(fromName) → \(to)")
            #expect(metadata.findings.isEmpty, "\(c.name): \(metadata.findings)")
            let content = try scratch.diff(from, to, content: true)
            #expect(oracleViolations(content, a: a, b: b, clusterSize: c.clusterSize) == [], "\(c.name): \(fromName) → \(to) --content")
            #expect(content.changedBytes == metadata.changedBytes)
            if sameBytes(a, b) { #expect(content.extents.allSatisfy { $0.change == .rewrittenSame }) }
        }
    }

    /// The diff from s1 to s2 of the snapshot case, extent by extent: what qemu-io did.
    @Test func knownExtents() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.run(["qemu-img create -q -f qcow2 top.qcow2 16M"] + DiffCase.writesThenSnapshots)
        let diff = try scratch.diff("s1", "s2")
        let got = diff.extents.map { "\($0.start / 1024)k+\($0.length / 1024)k \($0.change.rawValue)" }
        #expect(got == ["64k+64k data", "192k+64k data", "1024k+128k zero", "4096k+128k zero", "9216k+64k data", "12288k+64k data"])
        let content = try scratch.diff("s1", "s2", content: true)
        #expect(content.extents.first { $0.start == 192 * 1024 }?.change == .rewrittenSame)
        // Snapshots share the L2 table of this 16 MiB disk only until it is written: one L1 entry, not shared.
        let same = try scratch.diff("s2", "s2")
        #expect(same.extents.isEmpty && same.sharedTables == 1)
    }

    /// Issue 11's JSON keys and values.
    @Test func jsonContract() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.run(["qemu-img create -q -f qcow2 top.qcow2 16M"] + DiffCase.writesThenSnapshots)
        let json = DiffReport(diff: try scratch.diff("s1", "active", content: true), filename: "top.qcow2").json()
        let parsed = try JSONParser.parse(json.rendered())
        #expect(parsed["from"] == .string("s1") && parsed["to"] == .string("active"))
        guard case .array(let extents)? = parsed["extents"] else { Issue.record("no extents"); return }
        var total: UInt64 = 0
        for e in extents {
            guard case .uint(let length)? = e["length"], e["start"] != nil, case .string(let change)? = e["change"] else {
                Issue.record("bad extent \(e)"); continue
            }
            #expect(["data", "zero", "unallocated", "rewritten-same"].contains(change))
            total += length
        }
        #expect(parsed["changed-bytes"] == .uint(total))
    }
}
