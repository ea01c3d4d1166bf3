import Qcow2
/// What a changed guest range is in the newer state B (issue 11's `change` values).
public enum DiffChange: String, Sendable, Hashable, CaseIterable {
    /// B has different data there (its own layer, or a backing layer with data where A differed).
    case data
    /// B's own layer reads zeros (zero clusters) where A had something else.
    case zero
    /// B's own layer does not hold the range and it reads as zeros through the layers below.
    case unallocated
    /// Only with `--content`: the metadata changed but the bytes are equal.
    case rewrittenSame = "rewritten-same"
}

/// One merged range of guest bytes that changed from A to B.
public struct DiffExtent: Sendable, Hashable {
    public var start: UInt64
    public var length: UInt64
    public var change: DiffChange

    public init(start: UInt64, length: UInt64, change: DiffChange) {
        self.start = start
        self.length = length
        self.change = change
    }

    public var end: UInt64 { start &+ length }
}

/// Sorted, merged extents being built in guest order.
struct DiffExtentList {
    private(set) var extents: [DiffExtent] = []

    /// Adds `[start, start + length)`, merging with the last extent when adjacent and alike.
    mutating func append(_ start: UInt64, _ length: UInt64, _ change: DiffChange) {
        guard length > 0 else { return }
        if let last = extents.last, last.end == start, last.change == change {
            extents[extents.count - 1].length += length
        } else {
            extents.append(DiffExtent(start: start, length: length, change: change))
        }
    }
}

/// The result of a diff between two states.
public struct MetadataDiff: Sendable {
    public let from: String
    public let to: String
    /// Guest bytes compared: the larger of the two states' virtual sizes.
    public let virtualSize: UInt64
    /// State A's virtual size (past it A reads as zeros).
    public let fromSize: UInt64
    /// State B's virtual size (past it B reads as zeros: changes there are `unallocated`).
    public let toSize: UInt64
    public internal(set) var extents: [DiffExtent]
    /// Entries QEMU refuses and unreadable tables on either side: such ranges count as changed.
    public internal(set) var findings: [Finding]
    /// Whether `--content` refined the extents.
    public internal(set) var contentCompared: Bool = false
    /// L1 ranges skipped because both states point at the same L2 table (or none).
    public internal(set) var sharedTables: Int = 0

    /// Bytes of the listed extents (`rewritten-same` included: the metadata did change).
    public var changedBytes: UInt64 { extents.reduce(0) { $0 &+ $1.length } }

    /// Bytes by change kind, every kind present (zero when none).
    public var bytesByChange: [(DiffChange, UInt64)] {
        DiffChange.allCases.map { kind in (kind, extents.lazy.filter { $0.change == kind }.reduce(0) { $0 &+ $1.length }) }
    }
}
