import Qcow2

/// The ext2/3/4 superblock fields the free-space walk needs (Linux Documentation/filesystems/ext4/
/// super.rst; guest-formats.md §5). All little-endian, at byte 1024 of the volume.
struct ExtSuperblock: Sendable {
    static let offset: UInt64 = 1024
    static let size = 1024
    static let magic: UInt16 = 0xEF53

    // Feature bits (e2fsprogs lib/ext2fs/ext2_fs.h).
    static let compatHasJournal: UInt32 = 0x4
    static let compatSparseSuper2: UInt32 = 0x200
    static let incompatFiletype: UInt32 = 0x2
    static let incompatRecover: UInt32 = 0x4
    static let incompatJournalDev: UInt32 = 0x8
    static let incompatMetaBG: UInt32 = 0x10
    static let incompat64Bit: UInt32 = 0x80
    static let incompatFlexBG: UInt32 = 0x200
    static let roCompatSparseSuper: UInt32 = 0x1
    static let roCompatGDTCsum: UInt32 = 0x10
    static let roCompatBigalloc: UInt32 = 0x200
    static let roCompatMetadataCsum: UInt32 = 0x400

    var blocksCount: UInt64
    var freeBlocksCount: UInt64
    var firstDataBlock: UInt32
    var logBlockSize: UInt32
    var logClusterSize: UInt32
    var blocksPerGroup: UInt32
    var clustersPerGroup: UInt32
    var inodesPerGroup: UInt32
    var inodesCount: UInt32
    var state: UInt16
    var revLevel: UInt32
    var inodeSize: UInt16
    var compat: UInt32
    var incompat: UInt32
    var roCompat: UInt32
    var uuid: String?
    var label: String?
    var reservedGDTBlocks: UInt16
    var descSize: UInt16
    var firstMetaBG: UInt32
    var logGroupsPerFlex: UInt8
    var backupBGs: (UInt32, UInt32)

    init(_ b: [UInt8]) {
        revLevel = b.le32(0x4C)
        incompat = b.le32(0x60)
        let is64 = incompat & Self.incompat64Bit != 0
        blocksCount = UInt64(b.le32(0x04)) | (is64 ? UInt64(b.le32(0x150)) << 32 : 0)
        freeBlocksCount = UInt64(b.le32(0x0C)) | (is64 ? UInt64(b.le32(0x158)) << 32 : 0)
        inodesCount = b.le32(0x00)
        firstDataBlock = b.le32(0x14)
        logBlockSize = b.le32(0x18)
        logClusterSize = b.le32(0x1C)
        blocksPerGroup = b.le32(0x20)
        clustersPerGroup = b.le32(0x24)
        inodesPerGroup = b.le32(0x28)
        state = b.le16(0x3A)
        // Revision 0 filesystems have 128-byte inodes and no feature fields worth trusting.
        inodeSize = revLevel == 0 ? 128 : b.le16(0x58)
        compat = b.le32(0x5C)
        roCompat = b.le32(0x64)
        uuid = b.uuidText(0x68)
        label = b.nulTerminatedText(0x78, 16)
        reservedGDTBlocks = b.le16(0xCE)
        descSize = b.le16(0xFE)
        firstMetaBG = b.le32(0x104)
        logGroupsPerFlex = b[0x174]
        backupBGs = (b.le32(0x24C), b.le32(0x250))
    }

    func has(compat bit: UInt32) -> Bool { compat & bit != 0 }
    func has(incompat bit: UInt32) -> Bool { incompat & bit != 0 }
    func has(roCompat bit: UInt32) -> Bool { roCompat & bit != 0 }

    /// ext2, ext3 or ext4, decided as libblkid does (superblocks/ext.c): any feature outside what
    /// ext3 supports (incompat beyond filetype/recover/meta_bg, ro_compat beyond sparse_super/
    /// large_file/btree_dir — extents, 64bit, flex_bg, huge_file, metadata_csum…) makes it ext4;
    /// otherwise a journal makes it ext3.
    var kind: FilesystemKind {
        let ext3Incompat = Self.incompatFiletype | Self.incompatRecover | Self.incompatMetaBG
        let ext3ROCompat: UInt32 = 0x1 | 0x2 | 0x4
        if incompat & ~ext3Incompat != 0 || roCompat & ~ext3ROCompat != 0 { return .ext4 }
        return has(compat: Self.compatHasJournal) ? .ext3 : .ext2
    }

    /// Names of the features that matter to the free map, for the details list.
    var featureNames: [String] {
        var names: [String] = []
        if has(compat: Self.compatHasJournal) { names.append("has_journal") }
        if has(incompat: Self.incompat64Bit) { names.append("64bit") }
        if has(incompat: Self.incompatFlexBG) { names.append("flex_bg") }
        if has(incompat: Self.incompatMetaBG) { names.append("meta_bg") }
        if has(roCompat: Self.roCompatSparseSuper) { names.append("sparse_super") }
        if has(compat: Self.compatSparseSuper2) { names.append("sparse_super2") }
        if has(roCompat: Self.roCompatGDTCsum) { names.append("uninit_bg") }
        if has(roCompat: Self.roCompatMetadataCsum) { names.append("metadata_csum") }
        if has(roCompat: Self.roCompatBigalloc) { names.append("bigalloc") }
        if has(incompat: Self.incompatRecover) { names.append("needs_recovery") }
        return names
    }
}
