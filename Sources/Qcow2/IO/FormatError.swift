/// The on-disk structure an error or finding is about. Its `rawValue` is the name people see.
public enum Structure: String, Sendable, Hashable, Codable, CaseIterable {
    case file = "file"
    case header = "header"
    case headerExtension = "header extension"
    case backingFileName = "backing file name"
    case featureNameTable = "feature name table"
    case l1Table = "L1 table"
    case l2Table = "L2 table"
    case dataCluster = "data cluster"
    case compressedCluster = "compressed cluster"
    case refcountTable = "refcount table"
    case refcountBlock = "refcount block"
    case snapshotTable = "snapshot table"
    case snapshotL1Table = "snapshot L1 table"
    case bitmapExtension = "bitmaps extension"
    case bitmapDirectory = "bitmap directory"
    case bitmapTable = "bitmap table"
    case bitmapData = "bitmap data"
    case cryptoHeader = "encryption header"
    case luksHeader = "LUKS header"
    case backingFile = "backing file"
    case dataFile = "external data file"

    // Guest structures: read through the guest disk; their offsets are guest byte offsets.
    case guestDisk = "guest disk"
    case mbr = "MBR"
    case extendedPartition = "extended partition table"
    case gptHeader = "GPT header"
    case gptEntries = "GPT partition entries"
    case lvmLabel = "LVM label"
    case lvmMetadata = "LVM metadata"
    case extSuperblock = "ext superblock"
    case extGroupDescriptors = "ext group descriptors"
    case extBlockBitmap = "ext block bitmap"
    case xfsSuperblock = "XFS superblock"
    case xfsAGF = "XFS AGF"
    case xfsFreeSpaceBtree = "XFS free-space B+tree"
    case xfsAGFL = "XFS AG free list"
    case xfsLog = "XFS log"
    case ntfsBootSector = "NTFS boot sector"
    case ntfsMFTRecord = "NTFS MFT record"
    case ntfsBitmap = "NTFS $Bitmap"
    case fatBootSector = "FAT boot sector"
    case fatTable = "FAT"
    case swapHeader = "swap header"
    case filesystem = "filesystem"
}

/// A fatal decoding error: the named structure at the absolute file offset could not be read.
///
/// Errors are values that say *what* and *where*, e.g. `L1 table at 0x30000: 4294967295 entries
/// exceed the 32 MiB limit`. The library throws only when nothing of a structure can be used;
/// partial damage becomes a ``Finding`` instead.
public struct FormatError: Error, Sendable, Hashable, CustomStringConvertible {
    public var structure: Structure
    public var offset: UInt64
    public var reason: String

    public init(_ structure: Structure, at offset: UInt64, _ reason: String) {
        self.structure = structure
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(structure.rawValue) at \(hex(offset)): \(reason)" }
}
