/// One range of the virtual disk as `qemu-img map --output=json` describes it (qemu 7.2,
/// `MapEntry` in qemu-img.c): which layer of the backing chain answers for it and what it reads as.
///
/// The flags are QEMU's block-status bits: `present` is BDRV_BLOCK_ALLOCATED (some layer holds
/// the range; false means it reads as zeros because nothing below does), `zero` is
/// BDRV_BLOCK_ZERO, `data` is BDRV_BLOCK_DATA, and `offset` is the host offset when QEMU knows one
/// (BDRV_BLOCK_OFFSET_VALID) — in the image file, its external data file, or a raw backing file.
public struct GuestMapEntry: Sendable, Hashable {
    /// First guest byte.
    public var start: UInt64
    public var length: UInt64
    /// Index of the answering layer in the backing chain (0 = the image itself).
    public var depth: Int
    public var present: Bool
    public var zero: Bool
    public var data: Bool
    /// Host offset of `start`, nil when QEMU reports none (compressed, encrypted, plain zero or
    /// unallocated clusters).
    public var offset: UInt64?

    public init(start: UInt64, length: UInt64, depth: Int, present: Bool, zero: Bool, data: Bool, offset: UInt64?) {
        self.start = start
        self.length = length
        self.depth = depth
        self.present = present
        self.zero = zero
        self.data = data
        self.offset = offset
    }

    /// One past the last guest byte (saturating; entries never exceed the virtual size).
    public var end: UInt64 { start.addingReportingOverflow(length).overflow ? .max : start + length }

    /// Whether `next` (which must start at ``end``) continues this entry, as qemu-img's
    /// `entry_mergeable`: same flags and depth, and either both without offset or with contiguous
    /// offsets. The file name QEMU also compares is fixed by depth and offset presence.
    @inline(__always)
    public func canAbsorb(_ next: GuestMapEntry) -> Bool {
        guard length > 0, zero == next.zero, data == next.data, depth == next.depth, present == next.present else { return false }
        switch (offset, next.offset) {
        case (nil, nil): return true
        case let (a?, b?): return a &+ length == b
        default: return false
        }
    }
}

/// What a guest range is, finer than QEMU's flags: the view and the summary colour by it.
public enum GuestState: UInt8, Sendable, Hashable, CaseIterable, Codable {
    /// A normal (sub)cluster: data in a host cluster.
    case data
    /// A compressed cluster.
    case compressed
    /// A zero (sub)cluster without a host cluster.
    case zeroPlain
    /// A zero (sub)cluster that keeps its host cluster (preallocated).
    case zeroAllocated
    /// Nothing in this layer and nothing below: reads as zeros (past a shorter backing file, or
    /// no backing file at all). Includes unallocated subclusters of a preallocated cluster.
    case unallocated
    /// Data of a raw backing file.
    case rawData
    /// A hole of a raw backing file (or past its end): reads as zeros.
    case rawHole
    /// An entry QEMU refuses to map (contradictory subcluster bits, unaligned or mismatched
    /// offsets, compressed clusters with an external data file, zero clusters in a v2 image).
    case invalid

    /// A short name for legends and JSON.
    public var name: String {
        switch self {
        case .data: "data"
        case .compressed: "compressed"
        case .zeroPlain: "zero"
        case .zeroAllocated: "zero-alloc"
        case .unallocated: "unallocated"
        case .rawData: "raw-data"
        case .rawHole: "raw-hole"
        case .invalid: "invalid"
        }
    }
}
