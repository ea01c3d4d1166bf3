import Qcow2

/// Reads every AG's AGF, walks its by-block B+tree and free list, and gathers the free extents
/// (absolute guest bytes, unsorted: the caller sorts and merges once).
struct XFSFreeMap {
    let volume: VolumeReader
    let sb: XFSSuperblock
    var findings = CappedFindings()
    var extents: [GuestExtent] = []
    /// Σ agf_btreeblks: free-space tree blocks beyond the roots, which sb_fdblocks counts as free.
    var btreeBlocks: UInt64 = 0
    var treeBlocksRead = 0
    /// AGs whose AGF could not be used (their blocks count as in use).
    var damagedAGs = 0
    /// AGs whose AGF counters disagree with their tree or free list.
    var mismatchedAGs = 0

    mutating func run() {
        // AGs that start past the end of the volume are not read (one finding says so), so a hostile
        // agcount costs nothing.
        let volumeBlocks = volume.length / sb.blockSize
        let present = min(sb.agCount, volumeBlocks / sb.agBlocks + (volumeBlocks % sb.agBlocks == 0 ? 0 : 1))
        if present < sb.agCount {
            findings.append(Finding(.error, .xfsSuperblock, at: volume.guestOffset(0),
                "\(sb.agCount - present) of \(sb.agCount) allocation groups start past the end of the volume; not read"))
        }
        for ag in 0..<present {
            do throws(FormatError) {
                try readAG(ag)
            } catch {
                findings.append(Finding(error))
                damagedAGs += 1
            }
        }
    }

    /// Blocks AG `ag` should have: agblocks, the last one what remains of dblocks.
    private func expectedLength(_ ag: UInt64) -> UInt64 {
        ag == sb.agCount - 1 ? sb.dblocks - ag * sb.agBlocks : sb.agBlocks
    }

    private mutating func readAG(_ ag: UInt64) throws(FormatError) {
        let agStart = sb.byteOffset(ag: ag, block: 0)
        let agfOffset = agStart + sb.sectSize
        let bytes = try volume.bytes(Int(sb.sectSize), at: agfOffset, for: .xfsAGF)
        let agf = XFSAGF(bytes)
        let at = volume.guestOffset(agfOffset)
        guard bytes.be32(0) == XFSAGF.magic else { throw FormatError(.xfsAGF, at: at, "AG \(ag): bad magic (not XAGF)") }
        guard UInt64(agf.seqno) == ag, agf.length == expectedLength(ag) else {
            throw FormatError(.xfsAGF, at: at, "AG \(ag): AGF says AG \(agf.seqno) of \(agf.length) blocks; expected \(expectedLength(ag))")
        }
        var tree = XFSFreeSpaceTree(volume: volume, sb: sb, ag: ag, agf: agf)
        tree.walk(into: &findings)
        treeBlocksRead += tree.blocksRead
        var treeFree: UInt64 = 0
        for record in tree.records {
            treeFree += record.count
            extents.append(GuestExtent(start: volume.start + sb.byteOffset(ag: ag, block: record.start), length: record.count * sb.blockSize))
        }
        let listed = readFreeList(ag, agf, agStart: agStart)
        btreeBlocks += agf.btreeBlocks
        if treeFree != agf.freeBlocks || listed != UInt64(agf.flCount) {
            mismatchedAGs += 1
            findings.append(Finding(.warning, .xfsAGF, at: at,
                "AG \(ag): AGF counts \(agf.freeBlocks) free blocks and \(agf.flCount) on the free list; the tree holds \(treeFree), the list \(listed)"))
        }
    }

    /// Adds the AGFL's blocks as one-block free extents; returns how many were listed.
    private mutating func readFreeList(_ ag: UInt64, _ agf: XFSAGF, agStart: UInt64) -> UInt64 {
        let offset = agStart + 3 * sb.sectSize
        do throws(FormatError) {
            let bytes = try volume.bytes(Int(sb.sectSize), at: offset, for: .xfsAGFL)
            let blocks = try XFSAGFL.blocks(bytes, agf: agf, v5: sb.isV5, at: volume.guestOffset(offset))
            for block in blocks {
                guard block != 0, UInt64(block) < agf.length else {
                    findings.append(Finding(.error, .xfsAGFL, at: volume.guestOffset(offset), "AG \(ag): free list block \(block) lies outside the AG"))
                    continue
                }
                extents.append(GuestExtent(start: volume.start + sb.byteOffset(ag: ag, block: UInt64(block)), length: sb.blockSize))
            }
            return UInt64(blocks.count)
        } catch {
            findings.append(Finding(error))
            return 0
        }
    }
}
