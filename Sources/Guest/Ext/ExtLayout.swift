import Qcow2

/// The geometry of an ext filesystem, checked once so the walk can trust it: block and cluster
/// size, groups, descriptor table placement (guest-formats.md §5; e2fsprogs lib/ext2fs/openfs.c
/// checks the same bounds before it reads a descriptor).
///
/// Every value comes from the superblock and is bounded here: block size 1 KiB–64 KiB, clusters per
/// group within one bitmap block, at least 256 blocks per group (mke2fs's minimum), so the group
/// count is at most the volume's size / 256 KiB and nothing allocated later grows past the volume.
struct ExtLayout: Sendable {
    let blockSize: UInt64
    /// Blocks per allocation unit: 2^(log_cluster − log_block) with bigalloc, else 1.
    let ratio: UInt64
    /// s_blocks_count as recorded.
    let blocksCount: UInt64
    /// Blocks the free map is read for: s_blocks_count clipped to the volume.
    let mapBlocks: UInt64
    let firstDataBlock: UInt64
    let blocksPerGroup: UInt64
    let clustersPerGroup: UInt64
    let groupCount: UInt64
    let descSize: Int
    let descPerBlock: UInt64
    let metaBG: Bool
    let firstMetaBG: UInt64
    let sparseSuper: Bool
    let sparseSuper2: Bool
    let backupBGs: (UInt64, UInt64)
    let reservedGDTBlocks: UInt64
    let inodeBlocksPerGroup: UInt64
    /// uninit_bg or metadata_csum: only then is BLOCK_UNINIT honoured (as the kernel and e2fsprogs do).
    let groupDescriptorChecksums: Bool

    init(_ sb: ExtSuperblock, volumeLength: UInt64) throws(FormatError) {
        let at = ExtSuperblock.offset
        func bad(_ reason: String) -> FormatError { FormatError(.extSuperblock, at: at, reason) }
        guard sb.logBlockSize <= 6 else { throw bad("block size 1024 << \(sb.logBlockSize) is beyond 64 KiB") }
        blockSize = 1024 << UInt64(sb.logBlockSize)
        let bigalloc = sb.has(roCompat: ExtSuperblock.roCompatBigalloc)
        if bigalloc {
            guard sb.logClusterSize >= sb.logBlockSize, sb.logClusterSize - sb.logBlockSize <= 16 else {
                throw bad("bigalloc cluster size 1024 << \(sb.logClusterSize) does not fit the block size \(blockSize)")
            }
            ratio = 1 << UInt64(sb.logClusterSize - sb.logBlockSize)
            clustersPerGroup = UInt64(sb.clustersPerGroup)
        } else {
            ratio = 1
            clustersPerGroup = UInt64(sb.blocksPerGroup)
        }
        blocksPerGroup = UInt64(sb.blocksPerGroup)
        guard clustersPerGroup >= 8, clustersPerGroup <= 8 * blockSize else {
            throw bad("\(clustersPerGroup) clusters per group do not fit one \(blockSize)-byte bitmap block")
        }
        guard blocksPerGroup == clustersPerGroup * ratio, blocksPerGroup >= 256 else {
            throw bad("\(blocksPerGroup) blocks per group (\(clustersPerGroup) clusters of \(ratio) blocks) is not a valid group size")
        }
        blocksCount = sb.blocksCount
        firstDataBlock = UInt64(sb.firstDataBlock)
        guard firstDataBlock <= 1, !(bigalloc && firstDataBlock != 0), firstDataBlock < blocksCount else {
            throw bad("first data block \(firstDataBlock) of \(blocksCount) blocks is impossible")
        }
        mapBlocks = min(blocksCount, volumeLength / blockSize)
        let span = blocksCount - firstDataBlock
        let groups = span / blocksPerGroup + (span % blocksPerGroup == 0 ? 0 : 1)
        guard groups <= UInt64(UInt32.max) else { throw bad("\(groups) block groups exceed 2^32") }
        groupCount = groups

        let is64 = sb.has(incompat: ExtSuperblock.incompat64Bit)
        let size = Int(sb.descSize)
        if is64 {
            guard size >= 64, size <= 1024, size & (size - 1) == 0, UInt64(size) <= blockSize else {
                throw bad("group descriptor size \(size) is not a power of two in 64…1024")
            }
            descSize = size
        } else {
            descSize = 32
        }
        descPerBlock = blockSize / UInt64(descSize)
        metaBG = sb.has(incompat: ExtSuperblock.incompatMetaBG)
        firstMetaBG = UInt64(sb.firstMetaBG)
        sparseSuper = sb.has(roCompat: ExtSuperblock.roCompatSparseSuper)
        sparseSuper2 = sb.has(compat: ExtSuperblock.compatSparseSuper2)
        backupBGs = (UInt64(sb.backupBGs.0), UInt64(sb.backupBGs.1))
        reservedGDTBlocks = UInt64(sb.reservedGDTBlocks)
        let inodeBytes = UInt64(sb.inodesPerGroup) * UInt64(sb.inodeSize)
        inodeBlocksPerGroup = (inodeBytes + blockSize - 1) / blockSize
        groupDescriptorChecksums = sb.has(roCompat: ExtSuperblock.roCompatGDTCsum)
            || sb.has(roCompat: ExtSuperblock.roCompatMetadataCsum)
    }

    var clusterSize: UInt64 { blockSize * ratio }
    /// Blocks the descriptor table takes (ceil(groups / descriptors per block)).
    var descriptorBlocks: UInt64 { (groupCount + descPerBlock - 1) / descPerBlock }

    func groupFirstBlock(_ group: UInt64) -> UInt64 { firstDataBlock + group * blocksPerGroup }

    /// Blocks of `group` inside the free map (the last group is short; groups past the volume empty).
    func groupMapBlocks(_ group: UInt64) -> UInt64 {
        let first = groupFirstBlock(group)
        return first >= mapBlocks ? 0 : min(blocksPerGroup, mapBlocks - first)
    }

    /// Whether `group` holds a superblock backup (e2fsprogs ext2fs_bg_has_super).
    func hasSuper(_ group: UInt64) -> Bool {
        if group == 0 { return true }
        if sparseSuper2 { return group == backupBGs.0 || group == backupBGs.1 }
        if group <= 1 || !sparseSuper { return true }
        if group & 1 == 0 { return false }
        return Self.isPower(group, of: 3) || Self.isPower(group, of: 5) || Self.isPower(group, of: 7)
    }

    private static func isPower(_ value: UInt64, of base: UInt64) -> Bool {
        var a = value
        while a >= base {
            if a == base { return true }
            if a % base != 0 { return false }
            a /= base
        }
        return false
    }
}
