/// Where the superblock copies and descriptor blocks sit, and which blocks a BLOCK_UNINIT group has
/// in use — e2fsprogs' lib/ext2fs/openfs.c (ext2fs_descriptor_block_loc2), closefs.c
/// (ext2fs_super_and_bgd_loc2) and alloc_sb.c (ext2fs_reserve_super_and_bgd), which is what
/// dumpe2fs and e2fsck use to synthesise an uninitialised group's bitmap.
extension ExtLayout {
    /// The block a group's superblock copy would occupy: its first block, except that with 1 KiB
    /// blocks and bigalloc group 0 starts at block 0 while the superblock is block 1.
    func superBlockBase(_ group: UInt64) -> UInt64 {
        let first = groupFirstBlock(group)
        return first == 0 && blockSize == 1024 ? 1 : first
    }

    /// The block holding descriptor block `index` of the primary table. Bounded: `index` is below
    /// groupCount / descPerBlock (< 2^32), and a meta_bg group's first block is below blocksCount,
    /// so the `&+` here add 1 to values under 2^64 - 1 only for impossible layouts the reads reject.
    func descriptorBlock(_ index: UInt64) -> UInt64 {
        if !metaBG || index < firstMetaBG {
            return superBlockBase(0) &+ 1 &+ index
        }
        let group = descPerBlock &* index
        return superBlockBase(group) &+ (hasSuper(group) ? 1 : 0)
    }

    /// Descriptor blocks of the old-style (contiguous) table that every superblock copy is followed by.
    private var oldDescriptorBlocks: UInt64 {
        metaBG ? firstMetaBG : descriptorBlocks &+ reservedGDTBlocks
    }

    /// Blocks (absolute block numbers) that `group` holds for the superblock copy, the descriptor
    /// table and its reserved growth blocks, or its meta_bg descriptor block — the prefix an
    /// uninitialised group has in use before its own bitmaps and inode table.
    func reservedRanges(_ group: UInt64) -> [Range<UInt64>] {
        var ranges: [Range<UInt64>] = []
        let base = superBlockBase(group)
        let hasSuper = hasSuper(group)
        if hasSuper || group == 0 {
            let superBlock = hasSuper ? base : 0
            ranges.append(superBlock..<superBlock + 1)
        }
        if group == 0 && blockSize == 1024 && ratio > 1 { ranges.append(0..<1) }
        let metaGroup = group / descPerBlock
        if !metaBG || metaGroup < firstMetaBG {
            if hasSuper {
                let first = base + 1
                if first < blocksCount {
                    let count = min(oldDescriptorBlocks, blocksCount - first)
                    ranges.append(first..<first + count)
                }
            }
        } else {
            let position = group % descPerBlock
            if position == 0 || position == 1 || position == descPerBlock - 1 {
                let block = base + (hasSuper ? 1 : 0)
                ranges.append(block..<block + 1)
            }
        }
        return ranges
    }

    /// Offset (relative to the volume) of `group`'s descriptor, for findings; `UInt64.max` when a
    /// hostile block count puts it past 2^64 (the position within the block is < blockSize).
    func descriptorOffset(_ group: UInt64) -> UInt64 {
        let (start, overflow) = descriptorBlock(group / descPerBlock).multipliedReportingOverflow(by: blockSize)
        let (offset, past) = start.addingReportingOverflow((group % descPerBlock) &* UInt64(descSize))
        return overflow || past ? .max : offset
    }
}
