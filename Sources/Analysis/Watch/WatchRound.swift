import Qcow2

/// What one `--watch` re-scan saw, against the round before it (``ImageWatcher``).
public struct WatchRound: Sendable {
    /// 1 for the first scan, then one more per re-scan.
    public var number: Int
    public var analysis: ImageAnalysis
    /// True when every metadata range the last scan read hashed the same and the file kept its
    /// size: the previous results were reused without decoding anything.
    public var reused: Bool
    /// Metadata ranges (tables read together) whose bytes changed since the last scan.
    public var changedRegions: Int
    /// How long the round took, in seconds.
    public var seconds: Double
    /// File size now and its change since the last round.
    public var fileSize: UInt64
    public var fileGrowth: Int64
    /// Allocated guest clusters of the active disk (`check`'s allocated-clusters), and their change.
    public var allocatedClusters: UInt64
    public var allocatedGrowth: Int64
    /// Host clusters that were free (or past the end of the file) last round and are used now,
    /// as runs of cluster indices: the host map highlights them.
    public var newClusters: [Range<Int>]
    /// Each snapshot's exclusive bytes now and their change (table order; nil when unknown).
    public var snapshotExclusive: [(name: String, bytes: UInt64?, growth: Int64)]
    /// Each persistent bitmap's dirty bytes as stored (QEMU writes them back on close), and
    /// their change since the last round.
    public var bitmapDirty: [(name: String, bytes: UInt64, growth: Int64)]

    /// Host clusters in ``newClusters``.
    public var newClusterCount: Int { newClusters.reduce(0) { $0 + $1.count } }

    /// One line of `key=value` pairs, for `--watch` when standard output is not a terminal
    /// (snapshot and bitmap names are already escaped, ``RawString/escaped(limit:)``).
    public var line: String {
        var pairs = [
            "round=\(number)", "reused=\(reused ? "yes" : "no")", "changed-tables=\(changedRegions)",
            "in-use=\(analysis.inUse ? "yes" : "no")", "file-size=\(fileSize)", "file-growth=\(fileGrowth)",
            "allocated-clusters=\(allocatedClusters)", "allocated-growth=\(allocatedGrowth)",
            "new-clusters=\(newClusterCount)", "corruptions=\(analysis.check.corruptions)",
            "leaks=\(analysis.check.leaks)", "check-errors=\(analysis.check.checkErrors)",
            "seconds=\(Self.fixed(seconds))",
        ]
        for s in snapshotExclusive {
            pairs.append("snapshot[\(s.name)].exclusive=\(s.bytes.map(String.init) ?? "?")")
            pairs.append("snapshot[\(s.name)].exclusive-growth=\(s.growth)")
        }
        for b in bitmapDirty {
            pairs.append("bitmap[\(b.name)].dirty=\(b.bytes)")
            pairs.append("bitmap[\(b.name)].dirty-growth=\(b.growth)")
        }
        return pairs.joined(separator: " ")
    }

    static func fixed(_ value: Double) -> String {
        let ms = Int((value * 1000).rounded())
        let fraction = String(ms % 1000)
        return "\(ms / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
