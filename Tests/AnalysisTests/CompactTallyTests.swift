import Analysis
import Foundation
import Qcow2
import Reports
import Testing
import TestSupport

/// `frag`'s compacted size from the tables the scan reads (``CompactSizeTally``, which counts
/// from the entries alone on a plain image) is what the guest-map walk measures
/// (``CompactSize/measure(_:clusterSizes:)``), on every fixture, on the hostile mutation corpus
/// (misaligned, compressed and zero entries side by side), and on an image with enough
/// 4 KiB-cluster tables for the scan to read ahead on a second thread (where the reader marks the
/// used entries for the decoder).
@Suite struct CompactTallyTests {
    static var fixtures: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.root + "/images")) ?? []
        return names.filter { $0.hasSuffix(".qcow2") }.sorted()
    }

    /// The tally's sizes and the walk's for `path`, or nil when the tally does not apply.
    static func both(_ path: String) throws -> (tally: [CompactSize], walk: [CompactSize])? {
        let image = try Qcow2Image(path: path)
        guard !image.isInUse else { return nil }
        let map = try GuestMap(chain: BackingChain.open(top: image))
        let sizes = CompactAdvice.clusterSizes(image.header.clusterSize)
        guard let tally = CompactSizeTally(map: map, clusterSizes: sizes) else { return nil }
        _ = try ImageAnalysis.scan(image, tally: tally)
        guard let counted = tally.result() else { return nil }
        return (counted, try CompactSize.measure(map, clusterSizes: sizes))
    }

    @Test(arguments: fixtures)
    func tallyMatchesTheWalk(_ name: String) throws {
        guard let (tally, walk) = try Self.both(Fixtures.image(name)) else { return }
        #expect(tally.map(\.required) == walk.map(\.required), "\(name)")
    }

    /// Where both apply (a corpus image whose walk or scan gives up is left out).
    @Test func tallyMatchesTheWalkOnTheCorpus() throws {
        let corpus = MutationOracleTests.corpus
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).filter { $0.hasSuffix(".qcow2") }
        try #require(!names.isEmpty, "mutation corpus missing at \(corpus)")
        for name in names {
            guard let pair = try? Self.both(corpus + "/" + name) else { continue }
            #expect(pair.tally.map(\.required) == pair.walk.map(\.required), "\(name)")
        }
    }

    /// 4 KiB clusters, a write every 2 MiB and some more (compressed, zeroed) over 400 MiB: 200
    /// L2 tables, more than one read of the scan takes, so they are read ahead.
    @Test(.enabled(if: Tools.qemu, "needs qemu-img and qemu-io on PATH"))
    func tallyMatchesTheWalkReadingAhead() throws {
        let dir = try Tools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Tools.run(["qemu-img", "create", "-q", "-f", "qcow2", "-o", "cluster_size=4096", "t.qcow2", "401M"], in: dir)
        var commands: [String] = []
        for k in 0..<200 {
            let at = k * (2 << 20) + (k % 7) * 4096
            commands.append(k % 5 == 4 ? "write -z \(at) 8k" : "write -P \(k % 251 + 1) \(at) \(4096 * (k % 3 + 1))")
        }
        commands.append("write -c -P 9 \(100 << 20) 64k")
        _ = try Tools.run(["qemu-io", "-f", "qcow2"] + commands.flatMap { ["-c", $0] } + ["t.qcow2"], in: dir)
        let (tally, walk) = try #require(try Self.both(dir + "/t.qcow2"))
        #expect(tally.map(\.required) == walk.map(\.required))
    }
}
