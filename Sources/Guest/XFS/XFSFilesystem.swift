import Qcow2

/// XFS v4 and v5: identified by the primary superblock ("XFSB"), the free map read from every AG's
/// AGF, by-block free-space B+tree and free list (guest-formats.md §6).
///
/// Free blocks are the bnobt's extents plus the AGFL's blocks — exactly what `xfs_db -c "freesp -d"`
/// lists (db/freesp.c scans the free list, then the bnobt). sb_fdblocks also counts the free-space
/// trees' own non-root blocks (agf_btreeblks: in use, not free), so it is compared with the map plus
/// those. Findings: a dirty log or sb_inprogress (possibly stale), counters that disagree, damaged AGs.
public enum XFSFilesystem: FilesystemReader {
    public static func matches(_ volume: VolumeReader) -> Bool {
        guard let bytes = try? volume.bytes(4, at: 0, for: .xfsSuperblock) else { return false }
        return bytes.be32(0) == XFSSuperblock.magic
    }

    public static func read(_ volume: VolumeReader) -> FilesystemInfo {
        let bytes: [UInt8]
        do throws(FormatError) {
            bytes = try volume.bytes(XFSSuperblock.size, at: 0, for: .xfsSuperblock)
        } catch {
            return FilesystemInfo(kind: .xfs, notAnalysedReason: "XFS superblock unreadable", findings: [Finding(error)])
        }
        let sb = XFSSuperblock(bytes)
        var info = FilesystemInfo(kind: .xfs, label: sb.label, uuid: sb.uuid)
        info.details = [("version", "v\(sb.version)"), ("block size", "\(sb.blockSize)"), ("sector size", "\(sb.sectSize)"),
                        ("allocation groups", "\(sb.agCount)"), ("blocks per AG", "\(sb.agBlocks)"), ("inodes", "\(sb.icount)")]
        do throws(FormatError) {
            try sb.validate(at: volume.guestOffset(0))
        } catch {
            info.notAnalysedReason = "XFS superblock geometry is invalid"
            info.findings.append(Finding(error))
            return info
        }
        analyse(volume, sb, into: &info)
        checkState(volume, sb, into: &info)
        return info
    }

    private static func analyse(_ volume: VolumeReader, _ sb: XFSSuperblock, into info: inout FilesystemInfo) {
        let at = volume.guestOffset(0)
        let volumeBlocks = volume.length / sb.blockSize
        info.checkFits(volume, blocks: sb.dblocks, blockSize: sb.blockSize, superblock: .xfsSuperblock, at: at)
        var map = XFSFreeMap(volume: volume, sb: sb)
        map.run()
        info.findings += map.findings.all
        let limit = volume.start + min(sb.dblocks, volumeBlocks) * sb.blockSize
        info.freeExtents = map.extents.sortedMerged().compactMap { extent in
            extent.start >= limit ? nil : GuestExtent(start: extent.start, length: min(extent.end, limit) - extent.start)
        }
        info.blockSize = sb.blockSize
        info.blocks = sb.dblocks
        info.freeBlocks = info.freeExtents.reduce(0) { $0 + $1.length } / sb.blockSize
        info.details.append(("free-space B+tree blocks", "\(map.treeBlocksRead)"))
        if map.damagedAGs > 0 {
            info.findings.append(Finding(.error, .xfsAGF, at: at, "\(map.damagedAGs) allocation groups could not be read; their blocks are counted as in use"))
            info.possiblyStale = true
            return
        }
        if map.mismatchedAGs > 0 { info.possiblyStale = true }
        // sb_fdblocks = Σ agf_freeblks + agf_flcount + agf_btreeblks (xfs_initialize_perag_data).
        let counted = (info.freeBlocks ?? 0) + map.btreeBlocks
        if sb.fdblocks != counted {
            info.findings.append(Finding(map.mismatchedAGs > 0 ? .warning : .info, .xfsSuperblock, at: at,
                "superblock free blocks \(sb.fdblocks), free map \(info.freeBlocks ?? 0) + \(map.btreeBlocks) free-space tree blocks = \(counted) (with lazy counters the superblock is brought up to date at unmount)"))
            info.possiblyStale = true
        }
    }

    /// sb_inprogress, NEEDSREPAIR and the log: anything that says the AG headers may lag behind.
    private static func checkState(_ volume: VolumeReader, _ sb: XFSSuperblock, into info: inout FilesystemInfo) {
        let at = volume.guestOffset(0)
        if sb.inProgress != 0 {
            info.findings.append(Finding(.warning, .xfsSuperblock, at: at, "sb_inprogress is set: mkfs never finished"))
            info.possiblyStale = true
        }
        if sb.incompat & XFSSuperblock.incompatNeedsRepair != 0 {
            info.findings.append(Finding(.warning, .xfsSuperblock, at: at, "NEEDSREPAIR is set: xfs_repair did not finish"))
            info.possiblyStale = true
        }
        guard sb.logStart != 0 else {
            info.details.append(("log", "external (not checked)"))
            return
        }
        let mask = (UInt64(1) << UInt64(sb.agBlockLog)) - 1
        let logAG = sb.logStart >> UInt64(sb.agBlockLog), logBlock = sb.logStart & mask
        let start = sb.byteOffset(ag: logAG, block: logBlock)
        let (bytes, overflow) = sb.logBlocks.multipliedReportingOverflow(by: sb.blockSize)
        let log = XFSLog(volume: volume, start: start, basicBlocks: overflow ? 0 : bytes / 512)
        do throws(FormatError) {
            guard logAG < sb.agCount, logBlock < sb.agBlocks, !overflow, start <= volume.length, bytes <= volume.length - start else {
                throw FormatError(.xfsLog, at: volume.guestOffset(start), "the internal log (\(sb.logBlocks) blocks at block \(sb.logStart)) lies outside the volume")
            }
            switch try log.state() {
            case .clean:
                info.details.append(("log", "clean"))
            case .dirty(let why):
                info.details.append(("log", "dirty"))
                info.findings.append(Finding(.warning, .xfsLog, at: volume.guestOffset(start),
                    "the log needs recovery (\(why)); the free-space trees may be stale until it is replayed (mount or xfs_repair)"))
                info.possiblyStale = true
            }
        } catch {
            info.findings.append(Finding(error, severity: .warning))
            info.possiblyStale = true
        }
    }
}
