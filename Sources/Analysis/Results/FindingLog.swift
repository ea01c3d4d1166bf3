import Qcow2

/// The findings of one scan: exact counts per kind, and the first examples of each kind.
///
/// A damaged image can produce a finding for every L2 entry (hundreds of millions), so only the
/// first ``samplesPerKind`` of each kind keep their text; ``count(of:)`` stays exact.
public struct FindingLog: Sendable {
    public static let samplesPerKind = 1000

    public private(set) var samples: [Finding] = []
    private var counts: [Int]

    public init() { counts = Array(repeating: 0, count: Finding.Kind.allCases.count) }

    /// Number of findings of `kind`, including those whose text was not kept.
    public func count(of kind: Finding.Kind) -> Int { counts[Self.index(kind)] }
    /// Number of findings of every kind.
    public var total: Int { counts.reduce(0, +) }
    /// Whether some findings of `kind` were counted but not kept.
    public func isTruncated(_ kind: Finding.Kind) -> Bool {
        count(of: kind) > samples.lazy.filter { $0.kind == kind }.count
    }

    /// Records `count` occurrences of one finding; keeps its text while under the limit.
    /// The message is built lazily, so a flood of findings costs no string formatting.
    mutating func add(_ kind: Finding.Kind, at offset: UInt64, clusterBits: UInt32, count: Int = 1,
                      severity: Finding.Severity, counting: Finding.Counting, structure: Structure? = nil,
                      _ message: () -> String) {
        let i = Self.index(kind)
        let before = counts[i]
        counts[i] += count
        guard before < Self.samplesPerKind else { return }
        samples.append(Finding(kind, at: offset, cluster: offset >> UInt64(clusterBits), message(),
                               severity: severity, counting: counting, structure: structure))
    }

    /// Samples sorted by offset within each kind, kinds in declaration order.
    public var sortedSamples: [Finding] {
        samples.sorted { a, b in
            Self.index(a.kind) != Self.index(b.kind) ? Self.index(a.kind) < Self.index(b.kind) : a.offset < b.offset
        }
    }

    /// The log split in two: findings of the kinds `moving` accepts, and the rest (counts exact,
    /// samples kept). An image in use sets aside what QEMU's caches explain this way.
    func partitioned(moving: (Finding.Kind) -> Bool) -> (kept: FindingLog, moved: FindingLog) {
        var kept = FindingLog()
        var moved = FindingLog()
        for kind in Finding.Kind.allCases where count(of: kind) > 0 {
            let i = Self.index(kind)
            if moving(kind) { moved.counts[i] = counts[i] } else { kept.counts[i] = counts[i] }
        }
        for f in samples {
            if moving(f.kind) { moved.samples.append(f) } else { kept.samples.append(f) }
        }
        return (kept, moved)
    }

    private static func index(_ kind: Finding.Kind) -> Int {
        Finding.Kind.allCases.firstIndex(of: kind) ?? 0
    }
}
