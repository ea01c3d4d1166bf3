import Qcow2

/// ext2, ext3 and ext4: identified by the superblock at byte 1024 (magic 0xEF53), the free map read
/// from the block bitmaps (guest-formats.md §5).
///
/// The allocation unit is the block, or the cluster with bigalloc (bitmap bits are clusters then).
/// Findings: journal recovery pending (needs_recovery), free counts that disagree with the bitmaps
/// (what e2fsck -n would call "Free blocks count wrong"), descriptors or bitmaps outside the volume.
public enum ExtFilesystem: FilesystemReader {
    public static func matches(_ volume: VolumeReader) -> Bool {
        guard let bytes = try? volume.bytes(2, at: ExtSuperblock.offset + 0x38, for: .extSuperblock) else { return false }
        return bytes.le16(0) == ExtSuperblock.magic
    }

    public static func read(_ volume: VolumeReader) -> FilesystemInfo {
        let bytes: [UInt8]
        do throws(FormatError) {
            bytes = try volume.bytes(ExtSuperblock.size, at: ExtSuperblock.offset, for: .extSuperblock)
        } catch {
            return FilesystemInfo(kind: .unknown, notAnalysedReason: "ext superblock unreadable", findings: [Finding(error)])
        }
        let sb = ExtSuperblock(bytes)
        var info = FilesystemInfo(kind: sb.kind, label: sb.label, uuid: sb.uuid)
        if sb.has(incompat: ExtSuperblock.incompatJournalDev) {
            info.kind = .unknown
            info.notAnalysedReason = "ext external journal device: not a filesystem"
            return info
        }
        info.details = [("features", sb.featureNames.joined(separator: " ")),
                        ("inodes", "\(sb.inodesCount)"),
                        ("state", sb.state & 1 != 0 ? "clean" : "not clean")]
        let layout: ExtLayout
        do throws(FormatError) {
            layout = try ExtLayout(sb, volumeLength: volume.length)
        } catch {
            info.notAnalysedReason = "ext superblock geometry is invalid"
            info.findings.append(Finding(error))
            return info
        }
        analyse(volume, sb, layout, into: &info)
        return info
    }

    private static func analyse(_ volume: VolumeReader, _ sb: ExtSuperblock, _ layout: ExtLayout, into info: inout FilesystemInfo) {
        let at = volume.guestOffset(ExtSuperblock.offset)
        info.checkFits(volume, blocks: layout.blocksCount, blockSize: layout.blockSize, superblock: .extSuperblock, at: at)
        var map = ExtFreeMap(volume: volume, layout: layout)
        map.run()
        info.findings += map.findings.all
        info.blockSize = layout.clusterSize
        info.blocks = (layout.blocksCount + layout.ratio - 1) / layout.ratio
        info.freeBlocks = map.builder.freeUnits
        info.freeExtents = map.builder.extents
        info.details += [("block size", "\(layout.blockSize)")]
        if layout.ratio > 1 { info.details.append(("cluster size", "\(layout.clusterSize)")) }
        info.details += [("block groups", "\(layout.groupCount)"),
                         ("blocks per group", "\(layout.blocksPerGroup)"),
                         ("uninitialised groups", "\(map.uninitGroups)")]
        if sb.has(incompat: ExtSuperblock.incompatRecover) {
            info.findings.append(Finding(.warning, .extSuperblock, at: at,
                "needs_recovery: the journal holds transactions not yet written back; the bitmaps may be stale until it is replayed (mount or e2fsck)"))
            info.possiblyStale = true
        }
        if map.builder.overflowed {
            info.findings.append(Finding(.warning, .extBlockBitmap, at: at,
                "the free map has more than \(FreeExtentBuilder.maxExtents) extents; the rest is counted as in use"))
            info.possiblyStale = true
        }
        if map.unreadableGroups > 0 {
            info.findings.append(Finding(.error, .extGroupDescriptors, at: at,
                "\(map.unreadableGroups) block groups could not be read; their blocks are counted as in use"))
            info.possiblyStale = true
        }
        checkCounters(sb, layout, map, at: at, into: &info)
    }

    /// Compares the map with the descriptors' and the superblock's free counts, as e2fsck's pass 5
    /// does. The superblock count is updated lazily while mounted (written at unmount), so a
    /// difference there alone is milder than one in the group descriptors; both mark the numbers as
    /// possibly stale.
    private static func checkCounters(_ sb: ExtSuperblock, _ layout: ExtLayout, _ map: ExtFreeMap, at: UInt64,
                                      into info: inout FilesystemInfo) {
        guard map.unreadableGroups == 0, !map.builder.overflowed, layout.mapBlocks == layout.blocksCount else { return }
        if map.mismatchCount > 0 {
            let listed = map.mismatches.map { "group \($0.group): descriptor \($0.descriptor), bitmap \($0.map)" }
            info.findings.append(Finding(.warning, .extGroupDescriptors, at: at,
                "\(map.mismatchCount) block groups' free counts disagree with their bitmaps (e2fsck: \"Free blocks count wrong for group\"): "
                + listed.joined(separator: "; ")))
            info.possiblyStale = true
        }
        let counted = map.builder.freeUnits * layout.ratio
        if sb.freeBlocksCount != counted {
            info.findings.append(Finding(map.mismatchCount > 0 ? .warning : .info, .extSuperblock, at: at,
                "superblock free blocks \(sb.freeBlocksCount), bitmaps \(counted) (e2fsck: \"Free blocks count wrong\"; the kernel updates this count lazily while mounted)"))
            info.possiblyStale = true
        }
    }
}
