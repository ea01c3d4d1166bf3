import Qcow2
import Testing
import Foundation
import Analysis
import Qcow2
import Reports
import TestSupport

/// `frag` states which cluster size its compacted figure assumes, gives the figure for the
/// image's own cluster size beside it (as `qemu-img measure -O qcow2 -o cluster_size=N`), and
/// never advises compacting when no copy would be smaller than the file.
@Suite struct CompactAdviceTests {
    static func report(_ name: String) throws -> FragReport {
        let image = try Qcow2Image(path: Fixtures.image(name))
        let analysis = try ImageAnalysis.scan(image)
        let advice = try CompactAdvice(map: GuestMap(chain: BackingChain.open(top: image)), clusterSize: image.header.clusterSize,
                                       fileSize: image.file.size)
        return FragReport(analysis: analysis, filename: name, advice: advice)
    }

    /// c4k.qcow2: 4 KiB clusters, a 52 KiB file; a default copy needs 512 KiB, one with 4 KiB
    /// clusters 52 KiB: both are said, and compacting is not advised although the score is high.
    @Test func smallClustersAreMeasuredAtTheirOwnSize() throws {
        let report = try Self.report("c4k.qcow2")
        let text = report.text()
        #expect(text.contains("A compacted copy with 64 KiB clusters (qemu-img convert -O qcow2, the default) needs 512 KiB"))
        #expect(text.contains("with this image's 4 KiB clusters (-o cluster_size=4096) it needs 52 KiB (53248 bytes)"))
        #expect(text.contains("Compacting would not make the file smaller"))
        #expect(!text.contains("(worth compacting)"))
        #expect(report.band != "worth compacting")
        let json = report.json().rendered()
        #expect(json.contains("\"compact-cluster-size\": 65536"))
        #expect(json.contains("\"compact-size-same-cluster-size\": 53248"))
        #expect(json.contains("\"compacting-shrinks\": false"))
    }

    @Test(.enabled(if: Tools.qemu, "needs qemu-img on PATH"), arguments: ["c4k", "c512", "c2m"])
    func sameClusterSizeMatchesQemuMeasure(_ name: String) throws {
        let report = try Self.report("\(name).qcow2")
        let advice = try #require(report.advice)
        let same = advice.sameClusterCopy ?? advice.defaultCopy
        let out = try Tools.run(["qemu-img", "measure", "--output=json", "-O", "qcow2", "-o", "cluster_size=\(advice.clusterSize)",
                                 "\(name).qcow2"], in: Fixtures.root + "/images")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect((json["required"] as? NSNumber)?.uint64Value == same.required, "\(name)")
    }
}
