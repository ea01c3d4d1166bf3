import Formatting
import Analysis
import Qcow2
import Reports
import TerminalUI

/// The refcounts view's content: host clusters per refcount value as stored and as counted
/// (side by side, buckets that differ marked), the mismatches by kind, clusters per role, and
/// the extent-length histogram with the fragmentation score. A pure value from the analysis.
public struct RefcountsViewModel: Sendable {
    /// One refcount bucket: how many clusters have it stored and counted.
    public struct Row: Sendable, Hashable {
        public var bucket: Int
        public var label: String
        public var stored: UInt64
        public var counted: UInt64
        public var differs: Bool { stored != counted }
    }

    public let rows: [Row]
    /// Clusters per role present, most common first.
    public let roles: [(role: ClusterRole, count: UInt64)]
    /// Extent lengths: label (clusters) and count, shortest first.
    public let extents: [(label: String, count: UInt64)]
    /// Clusters whose stored refcount is below what was counted (corruption: data may be
    /// overwritten), above it while something references them (wasted space), and above it
    /// while nothing does (leaked clusters).
    public let tooLow: Int
    public let tooHigh: Int
    public let leaked: Int
    public let fragmentation: FragmentationStats
    /// What compacting would give (nil until the guest map is walked).
    public let compact: CompactAdvice?
    public let refcountBits: UInt64
    public let compared: Int
    /// The first mismatch findings (their messages name the cluster), for the mismatch box.
    public let samples: [Finding]
    public static let maxSamples = 20

    public init?(data: ExplorerData) {
        guard let analysis = data.analysis else { return nil }
        let stored = analysis.storedRefcounts
        let counted = analysis.computedRefcounts
        let buckets = max(stored.counts.count, counted.counts.count, 2)
        rows = (0..<buckets).compactMap { k in
            let s = stored.count(inBucket: k), c = counted.count(inBucket: k)
            guard k < 2 || s > 0 || c > 0 else { return nil }
            return Row(bucket: k, label: RefcountHistogram.label(ofBucket: k), stored: s, counted: c)
        }
        roles = (data.results.hostMap?.totals ?? RoleCounts(Self.roleTotals(analysis))).present
        extents = analysis.fragmentation.histogram.enumerated().map { k, n in (Self.extentLabel(k), n) }
        tooLow = analysis.findings.count(of: .refcountTooLow)
        tooHigh = analysis.findings.count(of: .refcountTooHigh)
        leaked = analysis.findings.count(of: .leakedCluster)
        fragmentation = analysis.fragmentation
        compact = data.results.compact
        refcountBits = data.header.refcountBits
        compared = analysis.clusters.count
        let kinds: Set<Finding.Kind> = [.refcountTooLow, .refcountTooHigh, .leakedCluster]
        samples = Array(analysis.findings.sortedSamples.lazy.filter { kinds.contains($0.kind) }.prefix(Self.maxSamples))
    }

    /// Clusters per role counted directly (when no host map summary was built).
    static func roleTotals(_ analysis: ImageAnalysis) -> [UInt64] {
        var totals = [UInt64](repeating: 0, count: ClusterRole.allCases.count)
        for c in 0..<analysis.clusters.count { totals[Int(analysis.role(ofCluster: c).rawValue)] &+= 1 }
        return totals
    }

    /// `1`, `2–3`, `4–7`, … clusters (bucket k holds extents of 2^k ..< 2^(k+1) clusters).
    static func extentLabel(_ k: Int) -> String {
        guard k > 0 else { return "1" }
        guard k < 63 else { return "≥ 2^63" }
        let low = UInt64(1) << UInt64(k)
        return "\(low)–\(low * 2 - 1)"
    }

    public var mismatches: Int { tooLow + tooHigh + leaked }

    /// The title row.
    public var title: String {
        let verdict = mismatches == 0 ? "stored and counted refcounts agree"
            : mismatches == 1 ? "1 cluster's refcount is wrong" : "\(mismatches) clusters' refcounts are wrong"
        return "Refcounts · \(refcountBits)-bit · \(compared) clusters compared · \(verdict)"
    }

    /// The lines under the mismatch heading: text, count (nil for the repair advice), and
    /// whether it is a problem.
    public var mismatchLines: [(text: String, count: Int?, problem: Bool)] {
        [("too low (corruption: in use, may be reallocated)", tooLow, tooLow > 0),
         ("too high (space wasted, still referenced)", tooHigh, tooHigh > 0),
         ("leaked (referenced by nothing)", leaked, leaked > 0),
         (mismatches == 0 ? "nothing to repair" : tooLow > 0 ? "repair: qemu-img check -r all" : "repair: qemu-img check -r leaks", nil, false)]
    }

    /// The fragmentation frame's title: the score (0 best, 100 worst).
    public var fragmentationTitle: String { "Fragmentation \(fragmentation.score)/100 · log scale" }

    /// The lines above the extent histogram: the band (never advising to compact when a copy
    /// would not be smaller), the extent and host-jump counts, and what a compacted copy needs
    /// at which cluster size.
    public func extentLines(width wrapWidth: Int? = nil) -> [String] {
        let f = fragmentation
        var out = [compact?.band(f) ?? f.band, "\(Formatted.count(f.extents, "extent")) (\(f.idealExtents) at best) · \(Formatted.count(f.seeks, "host jump"))"]
        if let width = wrapWidth, TerminalText.width(out[1]) > width {
            out[1...1] = ["\(Formatted.count(f.extents, "extent")) (\(f.idealExtents) at best)", Formatted.count(f.seeks, "host jump")]
        }
        if let compact { out.append(compact.summary) }
        return out
    }

    /// Row labels padded to one width, so the stored and counted columns line up under headings.
    public static func paddedLabel(_ label: String) -> String {
        String(repeating: " ", count: max(0, 5 - label.count)) + label
    }

    /// Position text for the selected refcount row.
    public func describe(row index: Int) -> String {
        guard rows.indices.contains(index) else { return "refcounts" }
        let r = rows[index]
        return "refcount \(r.label) · \(r.stored) stored · \(r.counted) counted\(r.differs ? " · differs" : "")"
    }
}
