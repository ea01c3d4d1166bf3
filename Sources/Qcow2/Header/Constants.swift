/// Constants of the qcow2 format, each taken from `docs/interop/qcow2.txt` (section named beside it)
/// or, where the spec is silent, from QEMU's `block/qcow2.h`.
public enum Qcow2 {
    /// "QFI\xfb" (Header, bytes 0-3).
    public static let magic: UInt32 = 0x5146_49FB
    /// Version 2 headers are exactly 72 bytes (Header).
    public static let v2HeaderLength: UInt32 = 72
    /// Version 3 headers are at least 104 bytes, a multiple of 8 (Header, header_length).
    public static let v3MinimumHeaderLength: UInt32 = 104
    /// Offset of the compression_type field (Additional fields).
    public static let compressionTypeOffset = 104
    /// cluster_bits must be at least 9 (Header); QEMU's implementation limit is 2 MiB (21).
    public static let minClusterBits: UInt32 = 9
    public static let maxClusterBits: UInt32 = 21
    /// Extended L2 entries require cluster_bits ≥ 14 (Header, cluster_bits note).
    public static let minExtendedL2ClusterBits: UInt32 = 14
    /// refcount_order may not exceed 6 (Header, refcount_order); v2 is always 4.
    public static let maxRefcountOrder: UInt32 = 6
    /// backing_file_size must not be longer than 1023 bytes (Header).
    public static let maxBackingFileNameLength: UInt32 = 1023
    /// QEMU limits (block/qcow2.h): L1 ≤ 32 MiB, refcount table ≤ 8 MiB.
    public static let maxL1TableBytes: UInt64 = 32 << 20
    public static let maxRefcountTableBytes: UInt64 = 8 << 20
    /// QEMU: QCOW_MAX_SNAPSHOTS 65536, snapshot extra data ≤ 1024 bytes.
    public static let maxSnapshots: UInt32 = 65536
    public static let maxSnapshotExtraData: UInt32 = 1024
    /// QEMU: QCOW2_MAX_BITMAPS 65535, directory ≤ 64 MiB, name ≤ 1023, table ≤ 0x8000000 entries, granularity bits 9-31.
    public static let maxBitmaps: UInt32 = 65535
    public static let maxBitmapDirectoryBytes: UInt64 = 64 << 20
    public static let maxBitmapNameLength: UInt16 = 1023
    public static let maxBitmapTableEntries: UInt32 = 0x0800_0000
    /// Subclusters per cluster with extended L2 entries (Extended L2 Entries).
    public static let subclustersPerCluster = 32

    /// Bits 9-55 of an L1/L2/refcount-table/bitmap-table entry hold a cluster offset (Cluster mapping).
    public static let offsetMask: UInt64 = 0x00FF_FFFF_FFFF_FE00
    /// L1 entry bits 9-55 (L1 table entry).
    public static let l1OffsetMask: UInt64 = 0x00FF_FFFF_FFFF_FE00
    /// Refcount table entries use bits 9-63 (Refcount table entry).
    public static let refcountTableOffsetMask: UInt64 = 0xFFFF_FFFF_FFFF_FE00
    /// Bit 63: COPIED (refcount exactly one); bit 62: compressed (L2 table entry).
    public static let copiedFlag: UInt64 = 1 << 63
    public static let compressedFlag: UInt64 = 1 << 62
    /// Bit 0 of a standard cluster descriptor: reads as zeros.
    public static let zeroFlag: UInt64 = 1
    /// Reserved bits QEMU checks (block/qcow2.h L1E_RESERVED_MASK, L2E_STD_RESERVED_MASK).
    public static let l1ReservedMask: UInt64 = 0x7F00_0000_0000_01FF
    public static let l2StandardReservedMask: UInt64 = 0x3F00_0000_0000_01FE
    public static let refcountTableReservedMask: UInt64 = 0x1FF
    /// Compressed sectors are 512 bytes (Compressed Clusters Descriptor).
    public static let compressedSectorSize: UInt64 = 512
}

/// Header extension types (Header extensions).
public enum HeaderExtensionType: UInt32, Sendable, Codable {
    case end = 0x0000_0000
    case backingFileFormat = 0xE279_2ACA
    case featureNameTable = 0x6803_F857
    case bitmaps = 0x2385_2875
    case fullDiskEncryption = 0x0537_BE77
    case externalDataFile = 0x4441_5441
}

extension Qcow2 {
    /// QEMU: QCOW_MAX_SNAPSHOTS_SIZE, the whole snapshot table is at most 64 MiB.
    public static let maxSnapshotTableBytes: UInt64 = 1024 * UInt64(maxSnapshots)
    /// Fixed part of a snapshot table entry (Snapshots, bytes 0-39).
    public static let snapshotEntryHeaderSize = 40
    /// Fixed part of a bitmap directory entry (Bitmap directory, bytes 0-23).
    public static let bitmapEntryHeaderSize = 24
    /// QEMU's bitmap granularity limits (qcow2-bitmap.c BME_MIN/MAX_GRANULARITY_BITS).
    public static let minBitmapGranularityBits: UInt8 = 9
    public static let maxBitmapGranularityBits: UInt8 = 31
    /// Bitmap table entry reserved bits (qcow2-bitmap.c BME_TABLE_ENTRY_RESERVED_MASK).
    public static let bitmapTableReservedMask: UInt64 = 0xFF00_0000_0000_01FE
}
