import Qcow2

/// The BIOS parameter block of a FAT12/16/32 volume (guest-formats.md §8; Microsoft fatgen103 §3),
/// little-endian, with the geometry derived from it. The FAT type is decided as Linux and The Sleuth
/// Kit do: no 16-bit FAT size means FAT32, otherwise fewer than 4085 clusters means FAT12.
struct FATBootSector: Sendable {
    enum Variant: Int, Sendable { case fat12 = 12, fat16 = 16, fat32 = 32 }

    var bytesPerSector: UInt64
    var sectorsPerCluster: UInt64
    var reservedSectors: UInt64
    var fatCount: UInt64
    var rootEntries: UInt64
    var totalSectors: UInt64
    var fatSectors: UInt64
    var variant: Variant
    /// FAT32: which FAT is live when mirroring is off (ExtFlags bit 7); else 0.
    var activeFAT: UInt64
    /// FAT32: the FSInfo sector (its free count is a hint); nil elsewhere.
    var fsInfoSector: UInt64?
    var label: String?
    var serial: String?

    var clusterSize: UInt64 { bytesPerSector * sectorsPerCluster }
    var rootDirSectors: UInt64 { (rootEntries * 32 + bytesPerSector - 1) / bytesPerSector }
    var firstDataSector: UInt64 { reservedSectors + fatCount * fatSectors + rootDirSectors }
    /// CountOfClusters: clusters 2 … count + 1 exist.
    var clusterCount: UInt64 {
        totalSectors > firstDataSector ? (totalSectors - firstDataSector) / sectorsPerCluster : 0
    }
    /// How many entries (clusters 0 and 1 included) the FAT's sectors can hold.
    var fatCapacity: UInt64 {
        let bytes = fatSectors * bytesPerSector
        switch variant {
        case .fat12: return bytes * 2 / 3
        case .fat16: return bytes / 2
        case .fat32: return bytes / 4
        }
    }

    /// Decodes the boot sector, or nil when it is not a plausible FAT BPB: every field is checked
    /// against the values the specification allows (all of them are small, so the products below
    /// cannot overflow).
    init?(_ sector: [UInt8]) {
        guard sector.count >= 512, sector[510] == 0x55, sector[511] == 0xAA else { return nil }
        bytesPerSector = UInt64(sector.le16(0x0B))
        sectorsPerCluster = UInt64(sector[0x0D])
        reservedSectors = UInt64(sector.le16(0x0E))
        fatCount = UInt64(sector[0x10])
        rootEntries = UInt64(sector.le16(0x11))
        let media = sector[0x15]
        let total16 = UInt64(sector.le16(0x13)), total32 = UInt64(sector.le32(0x20))
        let fat16 = UInt64(sector.le16(0x16)), fat32 = UInt64(sector.le32(0x24))
        guard [512, 1024, 2048, 4096].contains(bytesPerSector),
              sectorsPerCluster > 0, sectorsPerCluster <= 128, sectorsPerCluster.nonzeroBitCount == 1,
              reservedSectors > 0, (1...4).contains(fatCount),
              media == 0xF0 || media >= 0xF8 else { return nil }
        totalSectors = total16 != 0 ? total16 : total32
        fatSectors = fat16 != 0 ? fat16 : fat32
        guard totalSectors > 0, fatSectors > 0 else { return nil }
        activeFAT = 0
        fsInfoSector = nil
        let tail: Int
        if fat16 == 0 {
            variant = .fat32
            let flags = sector.le16(0x28)
            if flags & 0x80 != 0 { activeFAT = UInt64(flags & 0x0F) }
            let info = UInt64(sector.le16(0x30))
            fsInfoSector = info == 0 || info == 0xFFFF ? nil : info
            tail = 0x40
        } else {
            variant = .fat16
            tail = 0x24
        }
        if variant == .fat16, clusterCount < 4085 { variant = .fat12 }
        if sector[tail + 2] == 0x29 {
            let id = sector.le32(tail + 3)
            let digits = String(id, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: 8 - digits.count) + digits
            serial = padded.prefix(4) + "-" + padded.suffix(4)
            let raw = sector[(tail + 7)..<(tail + 18)]
            let text = String(decoding: raw, as: UTF8.self).trimmingSuffixSpaces
            label = text.isEmpty || text == "NO NAME" ? nil : text
        }
    }
}

extension String {
    /// The string without trailing spaces (FAT pads labels with them).
    var trimmingSuffixSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
