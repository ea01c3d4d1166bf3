import Qcow2

/// The partition table a volume was found in (`table` in `space --json`).
public enum PartitionTableKind: String, Sendable, Hashable, Codable {
    case gpt, mbr, lvm, none
}

/// What a volume holds (`filesystem` in `space --json`).
public enum FilesystemKind: String, Sendable, Hashable, Codable, CaseIterable {
    case ext2, ext3, ext4, xfs, ntfs, vfat, swap, btrfs, lvm2, luks, unknown
}

/// One volume of a guest disk: a partition, a logical volume, or the whole disk when it has no
/// partition table. Every guest byte belongs to at most one volume (an LVM physical volume covers only
/// what no logical volume on it covers: its ``segments`` exclude the logical volumes').
public struct GuestVolume: Sendable {
    /// First guest byte (for a logical volume: its first extent's guest offset).
    public var start: UInt64
    /// Size in bytes (for a logical volume: its size, the sum of its segments).
    public var length: UInt64
    public var table: PartitionTableKind
    /// Number in its table: GPT entry index from 1; MBR primaries 1–4, logical partitions from 5 in
    /// chain order; nil for a disk with no table and for logical volumes.
    public var partition: Int?
    /// GPT type GUID (upper-case, dashed) or MBR type byte as `"0x83"`; nil for LVM and `none`.
    public var type: String?
    /// The partition's own name where the table has one (GPT partition name, LVM LV name).
    public var name: String?
    /// The guest byte ranges that make up the volume, in guest order. One extent for partitions;
    /// one per segment for logical volumes; for a PV, what no logical volume covers.
    public var segments: [GuestExtent]
    /// What the volume holds, and its free map when it was analysed.
    public var filesystem: FilesystemInfo

    public init(start: UInt64, length: UInt64, table: PartitionTableKind, partition: Int?, type: String?,
                name: String? = nil, segments: [GuestExtent]? = nil, filesystem: FilesystemInfo) {
        self.start = start
        self.length = length
        self.table = table
        self.partition = partition
        self.type = type
        self.name = name
        self.segments = segments ?? [GuestExtent(start: start, length: length)]
        self.filesystem = filesystem
    }
}

/// What a filesystem reader found in a volume. Identification (kind, label, UUID) is always filled
/// where cheap; the free map only for the kinds qcowscope analyses (ext2/3/4, XFS, NTFS, FAT, swap).
public struct FilesystemInfo: Sendable {
    public var kind: FilesystemKind
    public var label: String?
    public var uuid: String?
    /// The allocation unit in bytes (ext block or bigalloc cluster, XFS block, NTFS cluster, FAT
    /// cluster, swap page); nil when not analysed.
    public var blockSize: UInt64?
    /// Allocation units the free map covers; nil when not analysed.
    public var blocks: UInt64?
    /// Free allocation units per the free map; nil when not analysed.
    public var freeBlocks: UInt64?
    /// Free space as guest byte extents (absolute guest offsets, sorted, merged), the same units as
    /// ``freeBlocks``: their total length is `freeBlocks * blockSize` (clipped to the volume).
    public var freeExtents: [GuestExtent]
    /// True when the filesystem needs journal recovery or its counters disagree with its free map:
    /// the numbers are shown, marked as possibly stale.
    public var possiblyStale: Bool
    /// More facts for display, in order (e.g. "inodes", "groups", "flex_bg", "version").
    public var details: [(String, String)]
    /// Why the volume was not analysed, when it was not (e.g. "btrfs: not analysed").
    public var notAnalysedReason: String?
    /// Problems found reading the volume; offsets are guest byte offsets.
    public var findings: [Finding]

    public init(kind: FilesystemKind, label: String? = nil, uuid: String? = nil, blockSize: UInt64? = nil,
                blocks: UInt64? = nil, freeBlocks: UInt64? = nil, freeExtents: [GuestExtent] = [],
                possiblyStale: Bool = false, details: [(String, String)] = [], notAnalysedReason: String? = nil,
                findings: [Finding] = []) {
        self.kind = kind
        self.label = label
        self.uuid = uuid
        self.blockSize = blockSize
        self.blocks = blocks
        self.freeBlocks = freeBlocks
        self.freeExtents = freeExtents
        self.possiblyStale = possiblyStale
        self.details = details
        self.notAnalysedReason = notAnalysedReason
        self.findings = findings
    }

    /// Whether a free map was read (the filesystem was analysed).
    public var isAnalysed: Bool { freeBlocks != nil }
}
