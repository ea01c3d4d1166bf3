/// The qcow2 file header (spec, "Header"), every field kept as stored.
///
/// Values are raw: nothing is clamped or corrected, because showing what is actually on disk is
/// the point. Derived sizes are computed properties; ``validate(fileSize:)`` says what is wrong.
public struct Header: Sendable, Hashable {
    public var magic: UInt32
    public var version: UInt32
    public var backingFileOffset: UInt64
    public var backingFileSize: UInt32
    public var clusterBits: UInt32
    /// Virtual disk size in bytes.
    public var size: UInt64
    public var cryptMethod: UInt32
    public var l1Size: UInt32
    public var l1TableOffset: UInt64
    public var refcountTableOffset: UInt64
    public var refcountTableClusters: UInt32
    public var nbSnapshots: UInt32
    public var snapshotsOffset: UInt64
    /// Version 3 fields; for version 2 they read as the spec's implied values (0, 0, 0, 4, 72).
    public var incompatibleFeatures: UInt64
    public var compatibleFeatures: UInt64
    public var autoclearFeatures: UInt64
    public var refcountOrder: UInt32
    public var headerLength: UInt32
    /// Byte 104 when header_length > 104, else 0 (deflate).
    public var compressionType: UInt8
    /// Bytes 105 ..< header_length: padding and fields this version of the spec does not define,
    /// kept so they can be shown (and flagged when non-zero).
    public var additionalBytes: [UInt8]

    public init(magic: UInt32 = Qcow2.magic, version: UInt32, backingFileOffset: UInt64 = 0,
                backingFileSize: UInt32 = 0, clusterBits: UInt32, size: UInt64, cryptMethod: UInt32 = 0,
                l1Size: UInt32, l1TableOffset: UInt64, refcountTableOffset: UInt64,
                refcountTableClusters: UInt32, nbSnapshots: UInt32 = 0, snapshotsOffset: UInt64 = 0,
                incompatibleFeatures: UInt64 = 0, compatibleFeatures: UInt64 = 0,
                autoclearFeatures: UInt64 = 0, refcountOrder: UInt32 = 4, headerLength: UInt32,
                compressionType: UInt8 = 0, additionalBytes: [UInt8] = []) {
        self.magic = magic
        self.version = version
        self.backingFileOffset = backingFileOffset
        self.backingFileSize = backingFileSize
        self.clusterBits = clusterBits
        self.size = size
        self.cryptMethod = cryptMethod
        self.l1Size = l1Size
        self.l1TableOffset = l1TableOffset
        self.refcountTableOffset = refcountTableOffset
        self.refcountTableClusters = refcountTableClusters
        self.nbSnapshots = nbSnapshots
        self.snapshotsOffset = snapshotsOffset
        self.incompatibleFeatures = incompatibleFeatures
        self.compatibleFeatures = compatibleFeatures
        self.autoclearFeatures = autoclearFeatures
        self.refcountOrder = refcountOrder
        self.headerLength = headerLength
        self.compressionType = compressionType
        self.additionalBytes = additionalBytes
    }
}

extension Header {
    /// Cluster size in bytes. Only meaningful once ``validate(fileSize:)`` accepted cluster_bits.
    public var clusterSize: UInt64 { 1 << UInt64(min(clusterBits, 63)) }
    public var refcountBits: UInt64 { 1 << UInt64(min(refcountOrder, 63)) }
    public var hasBackingFile: Bool { backingFileOffset != 0 }

    public var isDirty: Bool { incompatibleFeatures & IncompatibleFeature.dirty.mask != 0 }
    public var isCorrupt: Bool { incompatibleFeatures & IncompatibleFeature.corrupt.mask != 0 }
    public var hasExternalDataFile: Bool { incompatibleFeatures & IncompatibleFeature.externalDataFile.mask != 0 }
    public var hasExtendedL2: Bool { incompatibleFeatures & IncompatibleFeature.extendedL2.mask != 0 }
    public var hasLazyRefcounts: Bool { compatibleFeatures & CompatibleFeature.lazyRefcounts.mask != 0 }
    public var bitmapsConsistent: Bool { autoclearFeatures & AutoclearFeature.bitmaps.mask != 0 }
    public var dataFileIsRaw: Bool { autoclearFeatures & AutoclearFeature.rawExternalData.mask != 0 }

    /// The compression used for compressed clusters (Additional fields, compression_type).
    public var compression: CompressionType? { CompressionType(rawValue: compressionType) }

    /// Size of one L2 entry: 8 bytes, or 16 with extended L2 entries.
    public var l2EntrySize: Int { hasExtendedL2 ? 16 : 8 }
    /// Entries in one L2 table (Cluster mapping; Extended L2 Entries).
    public var l2Entries: UInt64 { clusterSize / UInt64(l2EntrySize) }
    /// Entries in one refcount block (Host cluster management).
    public var refcountBlockEntries: UInt64 { clusterSize * 8 / refcountBits }
    /// Bytes of virtual disk one L1 entry covers.
    public var bytesPerL1Entry: UInt64 { clusterSize &* l2Entries }
    /// Subcluster size with extended L2 entries; the cluster size otherwise.
    public var subclusterSize: UInt64 { hasExtendedL2 ? clusterSize / UInt64(Qcow2.subclustersPerCluster) : clusterSize }

    /// The number of L1 entries needed to map `size` (QEMU's size_to_l1), saturating on overflow.
    public var requiredL1Size: UInt64 {
        let perEntry = bytesPerL1Entry
        guard perEntry > 0 else { return 0 }
        return size / perEntry + (size % perEntry == 0 ? 0 : 1)
    }

    /// Bits of the compressed descriptor holding the host offset: x = 62 - (cluster_bits - 8).
    public var compressedOffsetBits: UInt64 { 62 - (UInt64(clusterBits) - 8) }

    public enum Encryption: UInt32, Sendable { case none = 0, aes = 1, luks = 2 }
    public var encryption: Encryption? { Encryption(rawValue: cryptMethod) }
}

/// Compression types (Additional fields, compression_type). QEMU calls deflate "zlib".
public enum CompressionType: UInt8, Sendable, Codable {
    case deflate = 0
    case zstd = 1

    /// The name `qemu-img info` prints in `compression-type`.
    public var qemuName: String { self == .deflate ? "zlib" : "zstd" }
}
