import Qcow2

/// An AG's free-space header, the AGF: one sector into the AG (xfs_format.h `xfs_agf`).
struct XFSAGF: Sendable {
    static let magic: UInt32 = 0x5841_4746  // "XAGF"

    var seqno: UInt32
    /// Blocks in this AG (the last AG may be shorter than sb_agblocks).
    var length: UInt64
    var bnoRoot: UInt32
    var bnoLevel: UInt32
    var flFirst: UInt32
    var flLast: UInt32
    var flCount: UInt32
    var freeBlocks: UInt64
    var btreeBlocks: UInt64

    init(_ b: [UInt8]) {
        seqno = b.be32(0x08)
        length = UInt64(b.be32(0x0C))
        bnoRoot = b.be32(0x10)
        bnoLevel = b.be32(0x1C)
        flFirst = b.be32(0x28)
        flLast = b.be32(0x2C)
        flCount = b.be32(0x30)
        freeBlocks = UInt64(b.be32(0x34))
        btreeBlocks = UInt64(b.be32(0x3C))
    }
}

/// The AG free list (AGFL, the AG's fourth sector): a ring of block numbers waiting to become
/// free-space B+tree blocks. Their contents are unused, and xfs_db's `freesp` and sb_fdblocks count
/// them as free. v5 puts a 36-byte header ("XAFL", seqno, uuid, lsn, crc) before the array.
enum XFSAGFL {
    static let magic: UInt32 = 0x5841_464C  // "XAFL"
    static let v5HeaderSize = 36

    /// The AGFL's blocks from flfirst to fllast, wrapping (libxfs_agfl_walk), at most one lap.
    /// Throws when flfirst/fllast lie outside the list (xfs_db then skips the list too).
    static func blocks(_ bytes: [UInt8], agf: XFSAGF, v5: Bool, at offset: UInt64) throws(FormatError) -> [UInt32] {
        let header = v5 ? v5HeaderSize : 0
        let size = UInt32((bytes.count - header) / 4)
        guard agf.flCount > 0 else { return [] }
        if v5, bytes.be32(0) != magic { throw FormatError(.xfsAGFL, at: offset, "bad magic (not XAFL)") }
        guard agf.flFirst < size, agf.flLast < size else {
            throw FormatError(.xfsAGFL, at: offset, "free list first/last \(agf.flFirst)/\(agf.flLast) outside its \(size) slots")
        }
        var result: [UInt32] = []
        var i = agf.flFirst
        for _ in 0..<size {
            result.append(bytes.be32(header + Int(i) * 4))
            if i == agf.flLast { break }
            i = i + 1 == size ? 0 : i + 1
        }
        return result
    }
}
