import Analysis
import Explorer
import Foundation
import Qcow2
import TerminalUI
import Testing

/// Timing on the big benchmark image (Benchmarks/make-images.sh); runs only when
/// QCOWSCOPE_PERF=1 and the image exists.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["QCOWSCOPE_PERF"] == "1"
                && FileManager.default.fileExists(atPath: ExplorerFixtures.root.path + "/Benchmarks/images/prealloc-1t-64k.qcow2")))
struct HostMapPerfTests {
    static func ms(_ start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    @Test func bigImage() throws {
        let path = ExplorerFixtures.root.path + "/Benchmarks/images/prealloc-1t-64k.qcow2"
        let image = try Qcow2Image(path: path, limits: .noBacking)
        var t = ContinuousClock.now
        let analysis = try ImageAnalysis.scan(image)
        print("scan \(Self.ms(t)) ms, \(analysis.clusters.count) clusters")
        t = .now
        let summary = HostMapSummary(analysis: analysis)
        print("summary \(Self.ms(t)) ms")
        let viewport = HeatmapViewport(units: UInt64(summary.clusterCount), gridSize: Size(width: 45, height: 34), layout: .linear, zoom: nil, origin: 0)
        t = .now
        _ = viewport.cellRanges.map(summary.counts(in:))
        print("fit cells \(Self.ms(t)) ms (\(viewport.cellCount) cells)")
        for zoom in [0, 4, 8, 12] {
            let v = HeatmapViewport(units: UInt64(summary.clusterCount), gridSize: Size(width: 45, height: 34), layout: .linear, zoom: zoom, origin: 8_000_000)
            t = .now
            _ = v.cellRanges.map(summary.counts(in:))
            print("zoom \(zoom) cells \(Self.ms(t)) ms")
        }
        for c in [UInt64(5), 1000, 8_000_000, 16_779_000] {
            t = .now
            let refs = ClusterReferences(cluster: c, in: image, analysis: analysis)
            print("refs #\(c) (\(analysis.role(ofCluster: Int(c)).jsonName)) \(refs.references.count) found, \(refs.l2TablesRead) L2 tables, complete \(refs.isComplete), \(Self.ms(t)) ms")
        }
        t = .now
        _ = summary.nextProblem(after: 0, forward: true)
        print("next problem (none) \(Self.ms(t)) ms")
    }
}
