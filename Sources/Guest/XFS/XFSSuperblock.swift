import Qcow2

/// The primary XFS superblock (AG 0, byte 0; big-endian; Linux fs/xfs/libxfs/xfs_format.h `xfs_dsb`,
/// guest-formats.md §6), checked as xfs_validate_sb_common does for the fields the walk relies on.
struct XFSSuperblock: Sendable {
    static let magic: UInt32 = 0x5846_5342  // "XFSB"
    static let size = 512
    /// sb_features_incompat NEEDSREPAIR: xfs_repair was interrupted.
    static let incompatNeedsRepair: UInt32 = 1 << 4

    var blockSize: UInt64
    var dblocks: UInt64
    var uuid: String?
    var logStart: UInt64
    var agBlocks: UInt64
    var agCount: UInt64
    var logBlocks: UInt64
    var version: UInt16
    var sectSize: UInt64
    var label: String?
    var agBlockLog: UInt8
    var inProgress: UInt8
    var fdblocks: UInt64
    var icount: UInt64
    var incompat: UInt32

    init(_ b: [UInt8]) {
        blockSize = UInt64(b.be32(0x04))
        dblocks = b.be64(0x08)
        uuid = b.uuidText(0x20)
        logStart = b.be64(0x30)
        agBlocks = UInt64(b.be32(0x54))
        agCount = UInt64(b.be32(0x58))
        logBlocks = UInt64(b.be32(0x60))
        version = b.be16(0x64) & 0xF
        sectSize = UInt64(b.be16(0x66))
        label = b.nulTerminatedText(0x6C, 12)
        agBlockLog = b[0x7C]
        inProgress = b[0x7E]
        icount = b.be64(0x80)
        fdblocks = b.be64(0x90)
        incompat = version == 5 ? b.be32(0xD8) : 0
    }

    var isV5: Bool { version == 5 }

    /// Throws when the geometry is impossible: then nothing below the superblock can be located.
    func validate(at offset: UInt64) throws(FormatError) {
        func bad(_ reason: String) -> FormatError { FormatError(.xfsSuperblock, at: offset, reason) }
        guard version == 4 || version == 5 else { throw bad("version \(version) is neither 4 nor 5") }
        guard sectSize >= 512, sectSize <= 32768, sectSize & (sectSize - 1) == 0 else { throw bad("sector size \(sectSize) is invalid") }
        guard blockSize >= 512, blockSize <= 65536, blockSize & (blockSize - 1) == 0, blockSize >= sectSize else {
            throw bad("block size \(blockSize) is invalid")
        }
        // XFS_MIN_AG_BLOCKS (64) … XFS_MAX_AG_BLOCKS, and sb_agblklog = log2 of agblocks rounded up.
        guard agBlocks >= 64, agBlocks <= 0x7FFF_FFFF else { throw bad("\(agBlocks) blocks per AG is outside 64…2^31") }
        guard agBlockLog < 32, UInt64(1) << agBlockLog >= agBlocks, agBlockLog == 0 || UInt64(1) << (agBlockLog - 1) < agBlocks else {
            throw bad("AG block log \(agBlockLog) does not match \(agBlocks) blocks per AG")
        }
        guard agCount >= 1, dblocks > (agCount - 1) * agBlocks, dblocks <= agCount * agBlocks else {
            throw bad("\(agCount) AGs of \(agBlocks) blocks do not hold \(dblocks) data blocks")
        }
        // agCount × agBlocks < 2^63 (a 32-bit count times ≤ 2^31); with any 32-bit AG block
        // number added, in bytes, it must fit 64 bits too: that bounds byteOffset(ag:block:).
        guard !(agCount * agBlocks + (1 << 32)).multipliedReportingOverflow(by: blockSize).overflow else {
            throw FormatError(.xfsSuperblock, at: offset, .overflow)
        }
    }

    /// The byte offset in the volume of AG `ag`'s block `agbno` (AGs are agblocks long, not 2^agblklog).
    /// For `ag < agCount` and any 32-bit `agbno` (on-disk block numbers are 32-bit) this is below
    /// (agCount × agBlocks + 2^32) × blockSize, which ``validate(at:)`` checked fits 64 bits, so
    /// the wrapping arithmetic cannot wrap; callers check `ag` and `agbno` before reading there.
    func byteOffset(ag: UInt64, block agbno: UInt64) -> UInt64 {
        (ag &* agBlocks &+ agbno) &* blockSize
    }
}
