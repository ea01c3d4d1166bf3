import Qcow2

/// Walks one AG's by-block free-space B+tree (bnobt) from its root, level by level, the way xfs_db's
/// `freesp` does (every child pointer of every node), collecting the leaf records
/// {startblock, blockcount} (xfs_format.h xfs_alloc_rec; short-form btree blocks).
///
/// Bounded: at most ``maxLevels`` levels, each block visited once (a loop or a shared child is a
/// finding), records per block at most what the block size holds, and at most the AG's blocks read.
struct XFSFreeSpaceTree {
    static let v4Magic: UInt32 = 0x4142_5442  // "ABTB"
    static let v5Magic: UInt32 = 0x4142_3342  // "AB3B"
    /// Deeper than any allocation B+tree can be (xfs_allocbt_maxlevels_ondisk is under 10).
    static let maxLevels: UInt32 = 9

    let volume: VolumeReader
    let sb: XFSSuperblock
    let ag: UInt64
    let agf: XFSAGF
    /// Free runs found, AG-relative (start, count), in tree order.
    var records: [(start: UInt64, count: UInt64)] = []
    var blocksRead = 0

    init(volume: VolumeReader, sb: XFSSuperblock, ag: UInt64, agf: XFSAGF) {
        self.volume = volume
        self.sb = sb
        self.ag = ag
        self.agf = agf
    }

    private var headerSize: Int { sb.isV5 ? 56 : 16 }

    mutating func walk(into findings: inout CappedFindings) {
        let agfOffset = volume.guestOffset(sb.byteOffset(ag: ag, block: 0) &+ sb.sectSize)
        guard agf.bnoLevel >= 1, agf.bnoLevel <= Self.maxLevels else {
            findings.append(Finding(.error, .xfsAGF, at: agfOffset,
                "AG \(ag): by-block B+tree has \(agf.bnoLevel) levels (1…\(Self.maxLevels)); its free space is not read"))
            return
        }
        var visited = Set<UInt32>()
        var current: [UInt32] = [agf.bnoRoot]
        var level = agf.bnoLevel - 1
        while !current.isEmpty {
            var next: [UInt32] = []
            for block in current {
                guard visited.insert(block).inserted else {
                    findings.append(Finding(.error, .xfsFreeSpaceBtree, at: volume.guestOffset(sb.byteOffset(ag: ag, block: UInt64(block))),
                        "AG \(ag): block \(block) is reached twice (a loop or shared child); skipped"))
                    continue
                }
                visit(block, level: level, children: &next, findings: &findings)
            }
            if level == 0 { break }
            level -= 1
            current = next
        }
    }

    /// Reads one tree block at `level`: leaf records into ``records``, node pointers into `children`.
    private mutating func visit(_ block: UInt32, level: UInt32, children: inout [UInt32], findings: inout CappedFindings) {
        let relative = sb.byteOffset(ag: ag, block: UInt64(block))
        let at = volume.guestOffset(relative)
        guard block != 0, UInt64(block) < agf.length else {
            findings.append(Finding(.error, .xfsFreeSpaceBtree, at: at, "AG \(ag): tree block \(block) lies outside the AG (\(agf.length) blocks)"))
            return
        }
        let bytes: [UInt8]
        do throws(FormatError) {
            bytes = try volume.bytes(Int(sb.blockSize), at: relative, for: .xfsFreeSpaceBtree)
        } catch {
            findings.append(Finding(error))
            return
        }
        blocksRead += 1
        let magic = bytes.be32(0)
        let expected = sb.isV5 ? Self.v5Magic : Self.v4Magic
        guard magic == expected else {
            findings.append(Finding(.error, .xfsFreeSpaceBtree, at: at, "AG \(ag): block \(block) has magic \(hex(UInt64(magic))), not \(sb.isV5 ? "AB3B" : "ABTB")"))
            return
        }
        let blockLevel = UInt32(bytes.be16(4)), count = Int(bytes.be16(6))
        let space = Int(sb.blockSize) - headerSize
        let maxRecords = level == 0 ? space / 8 : space / 12
        guard blockLevel == level, count <= maxRecords else {
            findings.append(Finding(.error, .xfsFreeSpaceBtree, at: at,
                "AG \(ag): block \(block) says level \(blockLevel) with \(count) records; expected level \(level), at most \(maxRecords) records"))
            return
        }
        if level == 0 {
            for i in 0..<count {
                let start = UInt64(bytes.be32(headerSize + 8 * i)), length = UInt64(bytes.be32(headerSize + 8 * i + 4))
                guard length > 0, start + length <= agf.length else {
                    findings.append(Finding(.error, .xfsFreeSpaceBtree, at: at,
                        "AG \(ag): free extent \(start)+\(length) lies outside the AG (\(agf.length) blocks); skipped"))
                    continue
                }
                records.append((start, length))
            }
        } else {
            let pointers = headerSize + 8 * maxRecords
            for i in 0..<count { children.append(bytes.be32(pointers + 4 * i)) }
        }
    }
}
