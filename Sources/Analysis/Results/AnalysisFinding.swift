import Qcow2

/// A problem the analysis found, located in the file: what kind, where, and how `qemu-img check`
/// would count it.
public struct AnalysisFinding: Sendable, Hashable {
    /// The kinds of problems the scan reports. ``jsonName`` is the name in JSON output.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A damaged header, extension or table pointer found when the image was opened.
        case image = "image"
        /// Referenced by nothing, yet its stored refcount is not 0 (QEMU: "Leaked cluster").
        case leakedCluster = "leaked-cluster"
        /// The stored refcount is lower than the references found (QEMU: "ERROR cluster ... refcount=").
        case refcountTooLow = "refcount-too-low"
        /// The stored refcount is higher than the references found (counted as a leak).
        case refcountTooHigh = "refcount-too-high"
        /// A refcount would exceed the largest value the refcount width can hold.
        case refcountOverflow = "refcount-overflow"
        /// A structure or cluster lies one cluster or more past the end of the file.
        case beyondEndOfFile = "reference-beyond-eof"
        /// An offset that must be cluster aligned is not.
        case misalignedOffset = "misaligned-offset"
        /// Two incompatible structures claim the same cluster.
        case overlap = "metadata-overlap"
        /// QCOW_OFLAG_COPIED disagrees with the refcount (active L1/L2 only).
        case copiedFlag = "copied-flag"
        /// One data cluster is referenced twice where its refcount could only be 1.
        case duplicateReference = "duplicate-reference"
        /// Reserved bits are set in an L1, L2 or refcount table entry.
        case reservedBits = "reserved-bits"
        /// An extended L2 subcluster bitmap contradicts itself or its descriptor.
        case invalidSubclusterBitmap = "invalid-subcluster-bitmap"
        /// A compressed cluster descriptor that cannot be valid (ends past EOF, or with a data file).
        case compressedOutOfRange = "compressed-out-of-range"
        /// A refcount block that is misplaced, unreadable or referenced more than once.
        case refcountBlock = "refcount-block"
        /// The snapshot table or one of its entries is damaged.
        case snapshotTable = "snapshot-table"
        /// A persistent bitmap is inconsistent (in use, or its directory or table is damaged).
        case bitmapInconsistent = "bitmap-inconsistent"
        /// Something could not be read at all (QEMU: check-errors).
        case readError = "read-error"
    }

    /// How `qemu-img check` counts a finding, which decides its exit status.
    public enum Counting: String, Sendable, Hashable {
        case corruption, leak, checkError = "check-error", none
    }

    public var kind: Kind
    /// Absolute byte offset in the image file the finding is about.
    public var offset: UInt64
    /// Host cluster index of ``offset``.
    public var cluster: UInt64
    public var message: String
    public var severity: Finding.Severity
    public var counting: Counting

    public init(_ kind: Kind, at offset: UInt64, cluster: UInt64, _ message: String,
                severity: Finding.Severity, counting: Counting) {
        self.kind = kind
        self.offset = offset
        self.cluster = cluster
        self.message = message
        self.severity = severity
        self.counting = counting
    }
}

/// The findings of one scan: exact counts per kind, and the first examples of each kind.
///
/// A damaged image can produce a finding for every L2 entry (hundreds of millions), so only the
/// first ``samplesPerKind`` of each kind keep their text; ``count(of:)`` stays exact.
public struct FindingLog: Sendable {
    public static let samplesPerKind = 1000

    public private(set) var samples: [AnalysisFinding] = []
    private var counts: [Int]

    public init() { counts = Array(repeating: 0, count: AnalysisFinding.Kind.allCases.count) }

    /// Number of findings of `kind`, including those whose text was not kept.
    public func count(of kind: AnalysisFinding.Kind) -> Int { counts[Self.index(kind)] }
    /// Number of findings of every kind.
    public var total: Int { counts.reduce(0, +) }
    /// Whether some findings of `kind` were counted but not kept.
    public func isTruncated(_ kind: AnalysisFinding.Kind) -> Bool {
        count(of: kind) > samples.lazy.filter { $0.kind == kind }.count
    }

    /// Records `count` occurrences of one finding; keeps its text while under the limit.
    /// The message is built lazily, so a flood of findings costs no string formatting.
    mutating func add(_ kind: AnalysisFinding.Kind, at offset: UInt64, clusterBits: UInt32, count: Int = 1,
                      severity: Finding.Severity, counting: AnalysisFinding.Counting, _ message: () -> String) {
        let i = Self.index(kind)
        let before = counts[i]
        counts[i] += count
        guard before < Self.samplesPerKind else { return }
        samples.append(AnalysisFinding(kind, at: offset, cluster: offset >> UInt64(clusterBits), message(),
                                       severity: severity, counting: counting))
    }

    /// Samples sorted by offset within each kind, kinds in declaration order.
    public var sortedSamples: [AnalysisFinding] {
        samples.sorted { a, b in
            Self.index(a.kind) != Self.index(b.kind) ? Self.index(a.kind) < Self.index(b.kind) : a.offset < b.offset
        }
    }

    private static func index(_ kind: AnalysisFinding.Kind) -> Int {
        AnalysisFinding.Kind.allCases.firstIndex(of: kind) ?? 0
    }
}
