import Analysis
import Explorer
import Foundation
import Qcow2
import TerminalUI

/// Timing of the host map and cluster references on a big benchmark image
/// (Benchmarks/make-images.sh). It prints times and asserts nothing.
enum HostMapBench {
    static func run(path: String) throws {
        let image = try Qcow2Image(path: path, limits: .noBacking)
        var t = ContinuousClock.now
        let analysis = try ImageAnalysis.scan(image)
        print("scan \(GuestMapBench.ms(t)) ms, \(analysis.clusters.count) clusters")
        t = .now
        let summary = HostMapSummary(analysis: analysis)
        print("summary \(GuestMapBench.ms(t)) ms")
        let viewport = HeatmapViewport(units: UInt64(summary.clusterCount), gridSize: Size(width: 45, height: 34), layout: .linear, zoom: nil, origin: 0)
        t = .now
        _ = viewport.cellRanges.map(summary.counts(in:))
        print("fit cells \(GuestMapBench.ms(t)) ms (\(viewport.cellCount) cells)")
        for zoom in [0, 4, 8, 12] {
            let v = HeatmapViewport(units: UInt64(summary.clusterCount), gridSize: Size(width: 45, height: 34), layout: .linear, zoom: zoom, origin: 8_000_000)
            t = .now
            _ = v.cellRanges.map(summary.counts(in:))
            print("zoom \(zoom) cells \(GuestMapBench.ms(t)) ms")
        }
        for c in [UInt64(5), 1000, 8_000_000, 16_779_000] {
            t = .now
            let refs = ClusterReferences(cluster: c, in: image, analysis: analysis)
            print("refs #\(c) (\(analysis.role(ofCluster: Int(c)).jsonName)) \(refs.references.count) found, \(refs.l2TablesRead) L2 tables, complete \(refs.isComplete), \(GuestMapBench.ms(t)) ms")
        }
        t = .now
        _ = summary.nextProblem(after: 0, forward: true)
        print("next problem (none) \(GuestMapBench.ms(t)) ms")
    }
}
