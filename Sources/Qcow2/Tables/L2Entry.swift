/// What a guest cluster (or subcluster) is, as QEMU's `qcow2_get_subcluster_type` classifies it
/// (block/qcow2.h, qcow2-cluster.c).
public enum ClusterType: String, Sendable, Hashable, Codable {
    /// No host cluster; reads go to the backing file (or read zeros).
    case unallocated
    /// Unallocated, but a host cluster is preallocated for it (extended L2 only).
    case unallocatedAllocated = "unallocated-alloc"
    /// Reads as zeros, no host cluster.
    case zeroPlain = "zero-plain"
    /// Reads as zeros; a host cluster is kept (preallocation).
    case zeroAllocated = "zero-alloc"
    /// Data in the host cluster.
    case normal
    /// Compressed data somewhere in the file.
    case compressed
    /// Bits that contradict each other (e.g. a subcluster both allocated and zero).
    case invalid

    /// Whether the cluster's host offset points at a cluster the image owns.
    public var hasHostCluster: Bool { self == .normal || self == .zeroAllocated || self == .unallocatedAllocated }
}

/// One L2 table entry (spec, "L2 table entry"; with extended L2, also the subcluster bitmap).
public struct L2Entry: Sendable, Hashable {
    public var raw: UInt64
    /// The subcluster allocation bitmap (Extended L2 Entries); 0 for standard entries.
    public var bitmap: UInt64

    @inline(__always) public init(raw: UInt64, bitmap: UInt64 = 0) {
        self.raw = raw
        self.bitmap = bitmap
    }

    @inline(__always) public var isCompressed: Bool { raw & Qcow2.compressedFlag != 0 }
    @inline(__always) public var isCopied: Bool { raw & Qcow2.copiedFlag != 0 }
    /// Bits 9-55 of a standard descriptor.
    @inline(__always) public var hostOffset: UInt64 { raw & Qcow2.offsetMask }
    /// Bits 1-8 and 56-61 of a standard descriptor, which must be zero.
    @inline(__always) public var reservedBits: UInt64 { raw & Qcow2.l2StandardReservedMask }

    /// The whole-cluster type (QEMU's `qcow2_get_cluster_type`). With an external data file an
    /// offset of 0 is valid when COPIED is set, since host offset equals guest offset there.
    @inline(__always)
    public func clusterType(extendedL2: Bool, externalDataFile: Bool) -> ClusterType {
        if isCompressed { return .compressed }
        if !extendedL2, raw & Qcow2.zeroFlag != 0 {
            return hostOffset != 0 ? .zeroAllocated : .zeroPlain
        }
        if hostOffset == 0 {
            return externalDataFile && isCopied ? .normal : .unallocated
        }
        return .normal
    }

    /// How an extended L2 entry's subcluster bitmap contradicts its descriptor.
    public enum BitmapProblem: Sendable, Hashable {
        /// A compressed cluster with a non-zero bitmap (`qemu-img check` counts it; reads ignore it).
        case compressedWithBitmap
        /// No host cluster, yet subclusters marked allocated.
        case allocatedWithoutHost
        /// Subclusters marked both allocated and zero.
        case allocatedAndZero
    }

    /// The one subcluster-bitmap classifier (QEMU's `qcow2_get_subcluster_type` returning
    /// `QCOW2_SUBCLUSTER_INVALID`, and `check_refcounts_l2` for compressed clusters): what is
    /// wrong with the bitmap of this extended L2 entry, or nil. The scan, the guest map walker
    /// and ``subclusterType(_:externalDataFile:)`` all ask it.
    @inline(__always)
    public func bitmapProblem(externalDataFile: Bool) -> BitmapProblem? {
        switch clusterType(extendedL2: true, externalDataFile: externalDataFile) {
        case .compressed: bitmap != 0 ? .compressedWithBitmap : nil
        case .normal: (bitmap >> 32) & bitmap & 0xFFFF_FFFF != 0 ? .allocatedAndZero : nil
        default: bitmap & 0xFFFF_FFFF != 0 ? .allocatedWithoutHost : nil
        }
    }

    /// The type of subcluster `index` (0..<32) with extended L2 entries (QEMU's
    /// `qcow2_get_subcluster_type`).
    @inline(__always)
    public func subclusterType(_ index: Int, externalDataFile: Bool) -> ClusterType {
        if bitmapProblem(externalDataFile: externalDataFile) != nil { return .invalid }
        let allocBit: UInt64 = 1 << UInt64(index)
        let zeroBit: UInt64 = 1 << UInt64(index + 32)
        switch clusterType(extendedL2: true, externalDataFile: externalDataFile) {
        case .compressed:
            return .compressed
        case .normal:
            if bitmap & zeroBit != 0 { return .zeroAllocated }
            if bitmap & allocBit != 0 { return .normal }
            return .unallocatedAllocated
        default:
            return bitmap & zeroBit != 0 ? .zeroPlain : .unallocated
        }
    }
}

/// Where a compressed cluster's bytes are (Compressed Clusters Descriptor).
public struct CompressedExtent: Sendable, Hashable {
    /// Host offset of the first compressed byte (not aligned).
    public var offset: UInt64
    /// Number of 512-byte sectors, counting the one holding `offset`.
    public var sectors: UInt64
    /// Bytes QEMU reads: `sectors * 512 - (offset & 511)`.
    public var length: UInt64 { sectors &* Qcow2.compressedSectorSize &- (offset & (Qcow2.compressedSectorSize - 1)) }
    /// First and last host cluster touched (QEMU counts a refcount on each).
    public func clusterRange(clusterBits: UInt32) -> ClosedRange<UInt64> {
        let first = offset >> UInt64(clusterBits)
        let lastByte = (offset & ~(Qcow2.compressedSectorSize - 1)) &+ sectors &* Qcow2.compressedSectorSize &- 1
        return first...max(first, lastByte >> UInt64(clusterBits))
    }
}

extension L2Entry {
    /// Splits a compressed descriptor: x = 62 - (cluster_bits - 8) offset bits, then the count of
    /// additional sectors.
    @inline(__always)
    public func compressedExtent(clusterBits: UInt32) -> CompressedExtent {
        let shift = 62 - (UInt64(clusterBits) - 8)
        let offset = raw & ((1 << shift) - 1)
        let sizeMask: UInt64 = (1 << (UInt64(clusterBits) - 8)) - 1
        let additional = (raw >> shift) & sizeMask
        return CompressedExtent(offset: offset, sectors: additional + 1)
    }
}
