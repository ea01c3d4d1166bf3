@testable import Analysis
import Foundation
import Qcow2
import Reports
import Testing

/// The explorer's condensed guest map and the qemu-img output formats, on small hand-made inputs.
@Suite struct SummaryAndWriterTests {
    /// 8 clusters of 64 KiB: data, data, half zero + half unallocated (a partial subcluster
    /// cluster), zero, backing depth 1 ×2, compressed, unallocated (short: the disk ends mid-cluster).
    static let summary = GuestMapSummary(
        virtualSize: 7 * 65536 + 4096, clusterSize: 65536,
        starts: [0, 131072, 163840, 196608, 262144, 393216, 458752],
        states: [.data, .zeroPlain, .unallocated, .zeroAllocated, .data, .compressed, .unallocated],
        depths: [0, 0, 0, 0, 1, 0, 0], findings: [])

    @Test func countsByKind() {
        let all = Self.summary.counts(clusters: 0..<100)
        #expect(Self.summary.clusterCount == 8)
        #expect(all.data == 2)
        #expect(all.mixed == 1)
        #expect(all.zero == 1)
        #expect(all.backing == [2])
        #expect(all.compressed == 1)
        #expect(all.unallocated == 1)
        #expect(all.total == 8)
        #expect(all.dominant == .data)
    }

    @Test func bucketsCoverEveryClusterOnce() {
        for count in [1, 2, 3, 5, 8, 100] {
            let buckets = Self.summary.buckets(count)
            #expect(buckets.count == min(count, 8))
            #expect(buckets.reduce(0) { $0 + $1.total } == 8)
        }
        let eight = Self.summary.buckets(8)
        #expect(eight[2].mixed == 1)
        #expect(eight[4].dominant == .backing(depth: 1))
        #expect(eight[7].dominant == .unallocated)
    }

    @Test func stateLookup() {
        #expect(Self.summary.state(at: 0)?.state == .data)
        #expect(Self.summary.state(at: 163839)?.state == .zeroPlain)
        #expect(Self.summary.state(at: 163840)?.state == .unallocated)
        #expect(Self.summary.state(at: 300000)?.depth == 1)
        #expect(Self.summary.state(at: 7 * 65536 + 4096) == nil)
    }

    @Test func summaryOfAFixtureChain() throws {
        let image = try Qcow2Image(path: Fixtures.image("chain-top.qcow2"))
        let map = try GuestMap(chain: BackingChain.open(top: image))
        let summary = try map.summary()
        #expect(summary.findings.isEmpty)
        let counts = summary.counts(clusters: 0..<summary.clusterCount)
        #expect(counts.total == summary.clusterCount)
        #expect(counts.data == 2)
        #expect(counts.backing.count == 2)
        // Every extent is one state; neighbours differ in state or depth.
        for k in 1..<summary.extentCount {
            #expect(summary.states[k] != summary.states[k - 1] || summary.depths[k] != summary.depths[k - 1])
        }
    }

    static func render(_ entries: [GuestMapEntry], _ format: MapReportWriter.Format) -> (String, Bool) {
        let sink = ByteSink()
        var writer = MapReportWriter(format: format, fileNames: ["top.qcow2", "base.raw"]) { sink.bytes += $0 }
        for e in entries {
            do { try writer.add(e) } catch { return (String(decoding: sink.bytes, as: UTF8.self), true) }
        }
        writer.finish()
        return (String(decoding: sink.bytes, as: UTF8.self), false)
    }

    @Test func jsonIsQemuImgsLayout() {
        let (empty, _) = Self.render([], .json)
        #expect(empty == "[{ \"start\": 0, \"length\": 0, \"depth\": 0, \"present\": false, \"zero\": false, \"data\": false}]\n")
        let (two, _) = Self.render([
            GuestMapEntry(start: 0, length: 65536, depth: 1, present: true, zero: false, data: true, offset: 0),
            GuestMapEntry(start: 65536, length: UInt64.max - 65536, depth: 0, present: false, zero: true, data: false, offset: nil),
        ], .json)
        #expect(two == """
            [{ "start": 0, "length": 65536, "depth": 1, "present": true, "zero": false, "data": true, "offset": 0},
            { "start": 65536, "length": 18446744073709486079, "depth": 0, "present": false, "zero": true, "data": false}]

            """)
    }

    @Test func humanTableAndRefusal() {
        let (table, refused) = Self.render([
            GuestMapEntry(start: 0, length: 0x100000, depth: 1, present: true, zero: false, data: true, offset: 0),
            GuestMapEntry(start: 0x100000, length: 0x10000, depth: 0, present: true, zero: true, data: false, offset: 0x50000),
            GuestMapEntry(start: 0x110000, length: 0x10000, depth: 0, present: true, zero: false, data: true, offset: 0x50000),
        ], .human)
        #expect(!refused)
        #expect(table == """
            Offset          Length          Mapped to       File
            0               0x100000        0               base.raw
            0x110000        0x10000         0x50000         top.qcow2

            """)
        let (_, compressed) = Self.render([
            GuestMapEntry(start: 0, length: 0x10000, depth: 0, present: true, zero: false, data: true, offset: nil),
        ], .human)
        #expect(compressed)
    }

    @Test func mergeRuleIsQemuImgs() {
        let a = GuestMapEntry(start: 0, length: 512, depth: 0, present: true, zero: false, data: true, offset: 1024)
        var b = GuestMapEntry(start: 512, length: 512, depth: 0, present: true, zero: false, data: true, offset: 1536)
        #expect(a.canAbsorb(b))
        b.offset = 4096
        #expect(!a.canAbsorb(b))
        b.offset = nil
        #expect(!a.canAbsorb(b))
        var c = a
        c.offset = nil
        b.offset = nil
        #expect(c.canAbsorb(b))
        b.depth = 1
        #expect(!c.canAbsorb(b))
    }
}
