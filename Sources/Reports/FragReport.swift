import Formatting
import Analysis

/// `qcowscope frag`: how fragmented the current disk is, how much of the file is unused, and what
/// a compacted copy would need.
///
/// The score is ``FragmentationStats/score`` (e4defrag's curve over the host jumps of a sequential read);
/// `compact-size` is what `qemu-img measure -O qcow2` reports as `required` (``CompactSize``).
public struct FragReport: Sendable {
    public let analysis: ImageAnalysis
    public let filename: String
    /// Nil when the guest map of the backing chain could not be built.
    public let advice: CompactAdvice?
    /// The default copy (64 KiB clusters): `qemu-img measure -O qcow2`'s `required`.
    public var compact: CompactSize? { advice?.defaultCopy }

    public init(analysis: ImageAnalysis, filename: String, advice: CompactAdvice?) {
        self.analysis = analysis
        self.filename = filename
        self.advice = advice
    }

    /// The band, never advising to compact when no compacted copy would be smaller.
    public var band: String { advice?.band(stats) ?? stats.band }

    public var stats: FragmentationStats { analysis.fragmentation }

    /// Histogram buckets as (smallest length, largest length, extents), in clusters.
    public func buckets() -> [(low: UInt64, high: UInt64, extents: UInt64)] {
        stats.histogram.enumerated().map { k, n in (UInt64(1) << UInt64(k), (UInt64(1) << UInt64(k + 1)) - 1, n) }
    }

    public func json() -> JSONValue {
        let s = stats
        let space = analysis.freeSpace()
        let cs = analysis.clusterSize
        return jsonObject([
            ("filename", .string(filename)),
            ("cluster-size", .uint(cs)),
            ("allocated-clusters", .uint(s.allocatedClusters)),
            ("compressed-clusters", .uint(s.compressedClusters)),
            ("extents", .uint(s.extents)),
            ("ideal-extents", .uint(s.idealExtents)),
            ("discontinuities", .uint(s.discontinuities)),
            ("histogram", .array(buckets().map { b in
                jsonObject([("min-clusters", .uint(b.low)), ("max-clusters", .uint(b.high)), ("extents", .uint(b.extents))])
            })),
            ("host-jumps", .uint(s.seeks)),
            ("host-jumps-per-100-clusters", .double((s.seekRatio * 100).rounded() / 100)),
            ("mean-host-jump", .uint(UInt64(s.meanSeekBytes.rounded()))),
            ("score", .int(Int64(s.score))),
            ("band", .string(band)),
            ("file-size", .uint(analysis.fileSize)),
            ("free-clusters", .uint(space.freeClusters)),
            ("leaked-clusters", .uint(space.leakedClusters)),
            ("holes", .uint(space.holes)),
            ("largest-hole-bytes", .uint(space.largestHole * cs)),
            ("reclaimable-bytes", .uint((space.freeClusters + space.leakedClusters) * cs)),
            ("compact-size", compact.map { .uint($0.required) } ?? .null),
            ("compact-cluster-size", .uint(CompactSize.defaultClusterSize)),
            ("compact-size-same-cluster-size", advice.map { .uint(($0.sameClusterCopy ?? $0.defaultCopy).required) } ?? .null),
            ("compacting-shrinks", advice.map { .bool($0.shrinks) } ?? .null),
            inUsePair(analysis.inUse),
        ])
    }

    public func text() -> String {
        let s = stats
        let space = analysis.freeSpace()
        let cs = analysis.clusterSize
        var out = "\(filename.terminalSafe): fragmentation score \(s.score)/100 (\(band))\n\n"
        out += "Current disk: \(s.allocatedClusters) allocated clusters in \(s.extents) extents "
            + "(\(s.idealExtents) at best), \(s.discontinuities) discontinuities\n"
        if s.compressedClusters > 0 { out += "Compressed clusters (not counted as fragmentation): \(s.compressedClusters)\n" }
        out += "Sequential read: \(s.seeks) host jumps (\(CheckReport.fixed(s.seekRatio)) per 100 clusters), "
            + "\(Formatted.humanSize(UInt64(s.meanSeekBytes.rounded()))) on average\n"
        if !s.histogram.isEmpty {
            out += "\nExtent lengths (clusters):\n"
            let widest = buckets().map(\.extents).max() ?? 1
            for b in buckets() {
                let label = b.low == b.high ? "\(b.low)" : "\(b.low)-\(b.high)"
                let bar = String(repeating: "#", count: Int((Double(b.extents) / Double(max(widest, 1)) * 40).rounded(.up)))
                out += "  \(InfoFormatting.rightPad(label, 14)) \(InfoFormatting.rightPad(String(b.extents), 10)) \(bar)\n"
            }
        }
        out += "\nFile: \(Formatted.humanSize(analysis.fileSize)); free \(Formatted.humanSize(space.freeClusters * cs)), "
            + "leaked \(Formatted.humanSize(space.leakedClusters * cs)) in \(Formatted.count(space.holes, "hole")) "
            + "(largest \(Formatted.humanSize(space.largestHole * cs)))\n"
        if let advice {
            out += advice.lines.joined(separator: "\n") + "\n"
        } else {
            out += "The size of a compacted copy is unknown: the backing chain could not be mapped\n"
        }
        out += "\nScore: e4defrag's curve on host jumps per 100 clusters (8 x ratio up to 10, then 80 + ratio / 5);\n"
            + "0-30 fine, 31-55 some, 56+ worth compacting (when a compacted copy is smaller than the file).\n"
        return out
    }
}
