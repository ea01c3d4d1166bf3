import Analysis
import Foundation
import Qcow2
import Reports
import TestSupport
import Testing

/// Persistent dirty bitmaps decoded into guest ranges, against what an NBD client sees through
/// `qemu-nbd -r -B NAME` (`nbdinfo --map=qemu:dirty-bitmap:NAME`, type 1 = dirty).
@Suite struct BitmapExtentsTests {
    /// Dirty ranges in nbdinfo's `--map` output (columns: offset, length, type, description).
    static func dirtyRanges(nbdinfo text: String) -> [DirtyExtent] {
        var out: [DirtyExtent] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, let start = UInt64(fields[0]), let length = UInt64(fields[1]), fields[2] == "1" else { continue }
            if let last = out.last, last.end == start { out[out.count - 1].length += length } else {
                out.append(DirtyExtent(start: start, length: length))
            }
        }
        return out
    }

    @Test(arguments: ["fine", "medium", "coarse", "frozen"])
    func fixtureMatchesRecordedNBDMap(_ name: String) throws {
        let image = try Qcow2Image(path: Fixtures.image("bitmaps.qcow2"))
        let (bitmaps, _) = BitmapExtents.decodeAll(image)
        let bitmap = try #require(bitmaps.first { $0.name == RawString(stringLiteral: name) })
        let expected = try #require(Fixtures.read(Fixtures.expected("bitmaps.\(name).dirty.txt")))
        #expect(bitmap.extents == Self.dirtyRanges(nbdinfo: expected))
        #expect(bitmap.isConsistent)
        #expect(bitmap.refusal == nil)
        #expect(bitmap.dirtyBytes == bitmap.extents.reduce(0) { $0 + $1.length })
    }

    @Test func inUseBitmapIsDecodedButFlagged() throws {
        let image = try Qcow2Image(path: Fixtures.image("bitmaps-inuse.qcow2"))
        let (bitmaps, _) = BitmapExtents.decodeAll(image)
        let bitmap = try #require(bitmaps.first)
        #expect(bitmap.isInUse)
        #expect(bitmap.isDecoded)
        #expect(!bitmap.isConsistent)
        // qemu-nbd's own words, as recorded in Tests/Fixtures/expected/bitmaps-inuse.open.dirty.stderr.
        let stderr = Fixtures.read(Fixtures.expected("bitmaps-inuse.open.dirty.stderr")) ?? ""
        #expect(stderr.contains(try #require(bitmap.refusal)))
    }

    @Test func isDirtyFindsRanges() throws {
        let image = try Qcow2Image(path: Fixtures.image("bitmaps.qcow2"))
        let bitmap = try #require(BitmapExtents.decodeAll(image).bitmaps.first { $0.name == "fine" })
        #expect(bitmap.isDirty(at: 0))
        #expect(bitmap.isDirty(at: 4095))
        #expect(!bitmap.isDirty(at: 4096))
        #expect(bitmap.isDirty(at: 1_048_576 + 204_799))
        #expect(!bitmap.isDirty(at: 1_048_576 + 204_800))
    }

    /// Bitmaps of several granularities (512 B to 4 MiB) over disks whose size is not a multiple of
    /// the granularity, recording random writes; one disabled after half of them.
    @Test(.enabled(if: Tools.nbd), arguments: [1, 2, 3])
    func randomWritesMatchQemuNBD(_ seed: Int) throws {
        let directory = try Tools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var g = RandomMapCase.Generator(state: UInt64(seed) &* 104_729)
        let size = g.pick([64 << 20, 100 << 20, 3 << 30] as [UInt64]) + g.pick([0, 512, 7 << 9] as [UInt64])
        let granularities = ["512", "4k", "64k", "1M", "4M"]
        func run(_ command: [String]) throws {
            let result = try Tools.run(command, in: directory)
            try #require(result.status == 0, "\(command.joined(separator: " ")): \(result.stderr)")
        }
        try run(["qemu-img", "create", "-q", "-f", "qcow2", "b.qcow2", String(size)])
        for (i, granularity) in granularities.enumerated() {
            try run(["qemu-img", "bitmap", "--add", "-g", granularity, "b.qcow2", "g\(i)"])
        }
        func writes(_ count: Int) -> [String] {
            (0..<count).flatMap { _ -> [String] in
                let length = (1 + g.below(40)) * 512
                let offset = g.below((size - length) / 512) * 512
                return ["-c", g.chance(0.2) ? "write -z \(offset) \(length)" : "write -P 7 \(offset) \(length)"]
            }
        }
        try run(["qemu-io", "-f", "qcow2"] + writes(60) + ["b.qcow2"])
        try run(["qemu-img", "bitmap", "--disable", "b.qcow2", "g2"])
        try run(["qemu-io", "-f", "qcow2"] + writes(60) + ["-c", "write -P 1 \(size - 512) 512", "b.qcow2"])

        let image = try Qcow2Image(path: directory + "/b.qcow2")
        let (bitmaps, findings) = BitmapExtents.decodeAll(image)
        #expect(findings.isEmpty)
        #expect(bitmaps.count == granularities.count)
        for bitmap in bitmaps {
            let name = bitmap.name.string
            let nbd = try Tools.run(["nbdinfo", "--map=qemu:dirty-bitmap:\(name)", "--", "[", "qemu-nbd", "-r", "-f", "qcow2",
                                     "-B", name, "b.qcow2", "]"], in: directory)
            try #require(nbd.status == 0, "\(name): \(nbd.stderr)")
            #expect(bitmap.extents == Self.dirtyRanges(nbdinfo: nbd.stdout), "bitmap \(name), seed \(seed)")
            #expect(bitmap.isConsistent)
        }
    }
}

/// The fast JSON of `qcowscope bitmaps` is the generic renderer's output, byte for byte.
@Suite struct BitmapsReportTests {
    @Test(arguments: ["bitmaps.qcow2", "bitmaps-inuse.qcow2", "v3.qcow2"])
    func fastJSONEqualsGenericRendering(_ name: String) throws {
        let report = BitmapsReport(image: try Qcow2Image(path: Fixtures.image(name)))
        #expect(report.renderedJSON() == report.json().rendered())
    }
}
