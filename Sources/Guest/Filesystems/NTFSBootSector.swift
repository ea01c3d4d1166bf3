import Qcow2

/// The NTFS boot sector (guest-formats.md §7; keramics ntfs.md "boot record"): geometry, the $MFT's
/// first cluster, the size of an MFT record and the volume serial number, little-endian.
struct NTFSBootSector: Sendable {
    /// The largest cluster NTFS allows (2 MiB), which also bounds every per-cluster read here.
    static let maxClusterSize: UInt64 = 2 << 20

    var bytesPerSector: UInt64
    var clusterSize: UInt64
    var totalSectors: UInt64
    var mftCluster: UInt64
    var recordSize: UInt64
    var serial: UInt64

    /// Clusters of the volume: total sectors over sectors per cluster (the backup boot sector just
    /// past the end is not counted).
    var clusterCount: UInt64 { totalSectors / (clusterSize / bytesPerSector) }

    /// The serial as blkid shows it: 16 upper-case hex digits.
    var serialText: String {
        let digits = String(serial, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    static func isNTFS(_ sector: [UInt8]) -> Bool {
        sector.count >= 11 && Array(sector[3..<11]) == Array("NTFS    ".utf8)
    }

    /// Decodes the sizes, refusing values the format does not allow: sector 256…4096 bytes (a power
    /// of two), cluster up to 2 MiB, MFT record 256 B…64 KiB.
    init(_ sector: [UInt8], at offset: UInt64) throws(FormatError) {
        guard Self.isNTFS(sector) else { throw FormatError(.ntfsBootSector, at: offset, "no \"NTFS\" signature") }
        bytesPerSector = UInt64(sector.le16(0x0B))
        guard (256...4096).contains(bytesPerSector), bytesPerSector.nonzeroBitCount == 1 else {
            throw FormatError(.ntfsBootSector, at: offset + 0x0B, "\(bytesPerSector) bytes per sector is not a power of two in 256…4096")
        }
        let perCluster = sector[0x0D]
        let sectors: UInt64 = perCluster <= 0x80 ? UInt64(perCluster) : perCluster >= 0xF4 ? 1 << (256 - UInt64(perCluster)) : 0
        guard sectors > 0, sectors.nonzeroBitCount == 1, bytesPerSector * sectors <= Self.maxClusterSize else {
            throw FormatError(.ntfsBootSector, at: offset + 0x0D, "sectors-per-cluster value \(hex(UInt64(perCluster))) is not allowed")
        }
        clusterSize = bytesPerSector * sectors
        totalSectors = sector.le64(0x28)
        mftCluster = sector.le64(0x30)
        serial = sector.le64(0x48)
        let encoded = Int8(bitPattern: sector[0x40])
        if encoded > 0 {
            recordSize = UInt64(encoded) * clusterSize
        } else if encoded < 0, -Int(encoded) < 32 {
            recordSize = 1 << UInt64(-Int(encoded))
        } else {
            recordSize = 0
        }
        guard (256...65536).contains(recordSize), recordSize.nonzeroBitCount == 1 else {
            throw FormatError(.ntfsBootSector, at: offset + 0x40, "MFT record size \(recordSize) is not a power of two in 256…65536")
        }
    }
}
