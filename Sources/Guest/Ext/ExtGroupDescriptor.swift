/// One block group descriptor: where its bitmaps and inode table are, its free count and flags
/// (Documentation/filesystems/ext4/group_descr.rst). The _hi halves exist only in the 64-byte form.
struct ExtGroupDescriptor: Sendable {
    static let blockUninit: UInt16 = 0x2

    var blockBitmap: UInt64
    var inodeBitmap: UInt64
    var inodeTable: UInt64
    /// Free clusters per the descriptor (bg_free_blocks_count, in clusters with bigalloc).
    var freeClusters: UInt64
    var flags: UInt16

    /// Decodes the descriptor at `offset` of `bytes`; `long` for 64-bit descriptors.
    init(_ bytes: [UInt8], at offset: Int, long: Bool) {
        func field(_ lo: Int, _ hi: Int) -> UInt64 {
            UInt64(bytes.le32(offset + lo)) | (long ? UInt64(bytes.le32(offset + hi)) << 32 : 0)
        }
        blockBitmap = field(0x00, 0x20)
        inodeBitmap = field(0x04, 0x24)
        inodeTable = field(0x08, 0x28)
        freeClusters = UInt64(bytes.le16(offset + 0x0C)) | (long ? UInt64(bytes.le16(offset + 0x2C)) << 16 : 0)
        flags = bytes.le16(offset + 0x12)
    }

    var isBlockUninit: Bool { flags & Self.blockUninit != 0 }
}
