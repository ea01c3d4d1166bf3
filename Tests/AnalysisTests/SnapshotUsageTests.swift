import Analysis
import Foundation
import Qcow2
import Reports
import TestSupport
import Testing

/// exclusive-bytes is what deleting the snapshot alone frees: delete it with qemu-img on a copy
/// and count the clusters whose stored refcount went to 0 (the snapshot table is rewritten by
/// the deletion, so its own clusters are set apart).
@Suite(.enabled(if: Tools.qemu, "needs qemu-img and qemu-io on PATH"))
struct SnapshotUsageTests {
    static let make = """
        qemu-img create -q -f qcow2 -o cluster_size=4k img.qcow2 8M && qemu-io -c 'write -P 1 0 2M' img.qcow2 \
        && qemu-img snapshot -c a img.qcow2 && qemu-io -c 'write -P 2 256k 512k' -c 'write -P 3 4M 1M' img.qcow2 \
        && qemu-img snapshot -c b img.qcow2 && qemu-io -c 'write -P 4 0 64k' -c 'write -P 5 6M 128k' img.qcow2 \
        && qemu-img snapshot -c c img.qcow2 && qemu-img snapshot -a a img.qcow2 && qemu-io -c 'write -P 6 1M 256k' img.qcow2 \
        && qemu-img snapshot -c d img.qcow2 && qemu-io -c 'write -P 7 7M 64k' img.qcow2
        """

    /// Clusters with a stored refcount, not counting the snapshot table.
    static func inUse(_ path: String) throws -> (UInt64, ImageAnalysis) {
        let analysis = try ImageAnalysis.scan(try Qcow2Image(path: path))
        let table = analysis.roleCounts()[Int(ClusterRole.snapshotTable.rawValue)]
        return (analysis.storedInUseClusters - table, analysis)
    }

    @Test func exclusiveBytesAreWhatDeletionFrees() throws {
        let dir = try Tools.temporaryDirectory("qcowscope-analysis")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Tools.shell(Self.make, in: dir)
        let (before, analysis) = try Self.inUse(dir + "/img.qcow2")
        #expect(analysis.check.exitStatus == 0)
        try #require(analysis.snapshots.count == 4)
        for usage in analysis.snapshots {
            let name = try #require(usage.snapshot?.name.string)
            let deleted = try Tools.shell("cp img.qcow2 copy.qcow2 && qemu-img snapshot -d '\(name)' copy.qcow2", in: dir)
            try #require(deleted.status == 0, "\(deleted.stderr)")
            let (after, copy) = try Self.inUse(dir + "/copy.qcow2")
            #expect(copy.check.exitStatus == 0, "deleting \(name) left an inconsistent image")
            #expect(usage.exclusiveBytes == (before - after) * analysis.clusterSize, "snapshot \(name)")
            #expect((usage.sharedBytes ?? 0) + (usage.exclusiveBytes ?? 0) == usage.referencedBytes)
        }
    }

    /// b was taken after a, c after b; d after reverting to a: d's parent is a, not c.
    @Test func parentsFollowTheHistory() throws {
        let dir = try Tools.temporaryDirectory("qcowscope-analysis")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Tools.shell(Self.make, in: dir)
        let analysis = try ImageAnalysis.scan(try Qcow2Image(path: dir + "/img.qcow2"))
        let parents = analysis.snapshots.map { u in u.parent.flatMap { analysis.snapshots[$0].snapshot?.name.string } }
        #expect(parents == [nil, "a", "b", "a"])
        #expect(analysis.current.parent.flatMap { analysis.snapshots[$0].snapshot?.name.string } == "d")
    }
}

/// The fragmentation score on layouts with a known answer.
@Suite(.enabled(if: Tools.qemu, "needs qemu-img and qemu-io on PATH"))
struct FragmentationOracleTests {
    static func analyse(writes offsets: [Int]) throws -> FragmentationStats {
        let dir = try Tools.temporaryDirectory("qcowscope-analysis")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let commands = offsets.map { "-c 'write -P 1 \($0 * 65536) 64k'" }.joined(separator: " ")
        try Tools.shell("qemu-img create -q -f qcow2 img.qcow2 8M && qemu-io \(commands) img.qcow2", in: dir)
        return try ImageAnalysis.scan(try Qcow2Image(path: dir + "/img.qcow2")).fragmentation
    }

    @Test func sequentialWritesAreFine() throws {
        let f = try Self.analyse(writes: Array(0..<64))
        #expect(f.extents == 1)
        #expect(f.seeks == 0)
        #expect(f.score == 0)
    }

    @Test func reversedWritesAreWorthCompacting() throws {
        let f = try Self.analyse(writes: Array((0..<64).reversed()))
        #expect(f.extents == 64)
        #expect(f.seeks == 63)
        #expect(f.histogram == [64])
        #expect(f.score == 100)
        #expect(f.band == "worth compacting")
    }

    @Test func holesAloneAreNotFragmentation() throws {
        let f = try Self.analyse(writes: Array(stride(from: 0, to: 128, by: 2)))
        #expect(f.extents == 64)
        #expect(f.idealExtents == 64)
        #expect(f.seeks == 0)
        #expect(f.score == 0)
    }
}
