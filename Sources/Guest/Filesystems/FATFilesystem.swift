import Qcow2

/// FAT12, FAT16 and FAT32 (guest-formats.md §8; Microsoft fatgen103): the free map is the FAT
/// itself — entry N is 0 when cluster N is free. The allocation unit is the cluster; cluster N
/// (2 ≤ N ≤ CountOfClusters + 1) starts at FirstDataSector + (N − 2)·SecPerClus.
public enum FATFilesystem: FilesystemReader {
    /// FAT32 tables are read this many bytes at a time (a multiple of 4), so a large FAT never sits
    /// in memory whole.
    static let chunkBytes = 1 << 20

    public static func matches(_ volume: VolumeReader) -> Bool {
        guard let sector = try? volume.bytes(512, at: 0, for: .fatBootSector) else { return false }
        return FATBootSector(sector) != nil
    }

    public static func read(_ volume: VolumeReader) -> FilesystemInfo {
        guard let sector = try? volume.bytes(512, at: 0, for: .fatBootSector), let boot = FATBootSector(sector) else {
            return FilesystemInfo(kind: .unknown, notAnalysedReason: "no FAT boot sector")
        }
        var info = FilesystemInfo(kind: .vfat, label: boot.label, uuid: boot.serial)
        info.details = [("type", "FAT\(boot.variant.rawValue)"), ("sector size", "\(boot.bytesPerSector)"),
                        ("FATs", "\(boot.fatCount)")]
        var count = boot.clusterCount
        if count + 2 > boot.fatCapacity {
            info.findings.append(Finding(.error, .fatBootSector, at: volume.guestOffset(0x16),
                                         "\(count) clusters do not fit in a FAT of \(boot.fatSectors) sectors; counted to \(boot.fatCapacity - min(boot.fatCapacity, 2))"))
            count = boot.fatCapacity - min(boot.fatCapacity, 2)
        }
        let dataStart = boot.firstDataSector * boot.bytesPerSector
        let inVolume = volume.length > dataStart ? (volume.length - dataStart) / boot.clusterSize : 0
        if count > inVolume {
            info.findings.append(Finding(.warning, .fatBootSector, at: volume.guestOffset(0x13),
                                         "the boot sector counts \(count) clusters, the volume holds \(inVolume); counted to the volume's end"))
            count = inVolume
        }
        info.blockSize = boot.clusterSize
        info.blocks = count
        let fatOffset = (boot.reservedSectors + boot.activeFAT * boot.fatSectors) * boot.bytesPerSector
        var builder = FreeExtentBuilder(base: volume.guestOffset(dataStart), unitSize: boot.clusterSize)
        do {
            try scanFAT(volume, boot: boot, at: fatOffset, clusters: count, into: &builder, info: &info)
        } catch {
            info.findings.append(Finding(error))
            info.possiblyStale = true
        }
        info.freeBlocks = builder.freeUnits
        info.freeExtents = builder.extents
        if builder.overflowed {
            info.findings.append(Finding(.warning, .fatTable, at: volume.guestOffset(fatOffset),
                                         "the free map is too fragmented to keep; the rest is counted as in use"))
        }
        checkFSInfo(volume, boot: boot, free: builder.freeUnits, into: &info)
        return info
    }

    /// FAT32's FSInfo free count is a hint (fatgen103: "not necessarily correct"): a value that
    /// disagrees with the FAT is reported, but the FAT stays the truth.
    private static func checkFSInfo(_ volume: VolumeReader, boot: FATBootSector, free: UInt64, into info: inout FilesystemInfo) {
        guard let sector = boot.fsInfoSector else { return }
        let offset = sector * boot.bytesPerSector
        guard let bytes = try? volume.bytes(512, at: offset, for: .fatBootSector),
              bytes.le32(0) == 0x4161_5252, bytes.le32(0x1E4) == 0x6141_7272 else { return }
        let hint = bytes.le32(0x1E8)
        info.details.append(("FSInfo free", hint == .max ? "unknown" : "\(hint)"))
        if hint != .max, UInt64(hint) != free {
            info.findings.append(Finding(.info, .fatBootSector, at: volume.guestOffset(offset + 0x1E8),
                                         "FSInfo says \(hint) free clusters, the FAT \(free) (the FAT is what counts)"))
        }
    }

    /// Walks entries 2 … clusters + 1 of the FAT at `offset`, adding free clusters to `builder` and
    /// noting a volume not cleanly unmounted (entry 1's clean bit, FAT16/32) as possibly stale.
    private static func scanFAT(_ volume: VolumeReader, boot: FATBootSector, at offset: UInt64, clusters: UInt64,
                                into builder: inout FreeExtentBuilder, info: inout FilesystemInfo) throws(FormatError) {
        let entries = clusters + 2
        let (totalBytes, entryBytes): (UInt64, UInt64) = switch boot.variant {
        case .fat12: ((entries * 3 + 1) / 2, 0)
        case .fat16: (entries * 2, 2)
        case .fat32: (entries * 4, 4)
        }
        var runStart: UInt64?
        func note(_ n: UInt64, free: Bool) {
            if free, runStart == nil { runStart = n }
            if !free, let start = runStart {
                builder.add(unit: start - 2, count: n - start)
                runStart = nil
            }
        }
        if boot.variant == .fat12 {
            let fat = try volume.bytes(Int(totalBytes), at: offset, for: .fatTable)
            for n in 2..<entries {
                let raw = fat.le16(Int(n + n / 2))
                note(n, free: (n & 1 == 1 ? raw >> 4 : raw & 0xFFF) == 0)
            }
        } else {
            let cleanBit: UInt64 = boot.variant == .fat16 ? 0x8000 : 0x0800_0000
            var first = true
            var n: UInt64 = 0
            while n < entries {
                let chunkEntries = min(UInt64(chunkBytes) / entryBytes, entries - n)
                let chunk = try volume.bytes(Int(chunkEntries * entryBytes), at: offset + n * entryBytes, for: .fatTable)
                for i in 0..<Int(chunkEntries) {
                    let value = entryBytes == 2 ? UInt64(chunk.le16(2 * i)) : UInt64(chunk.le32(4 * i) & 0x0FFF_FFFF)
                    let index = n + UInt64(i)
                    if index >= 2 { note(index, free: value == 0) }
                    if first, index == 1, value & cleanBit == 0 {
                        info.possiblyStale = true
                        info.findings.append(Finding(.warning, .fatTable, at: volume.guestOffset(offset + entryBytes),
                                                     "the volume was not cleanly unmounted; the free map may be stale"))
                    }
                }
                first = false
                n += chunkEntries
            }
        }
        note(entries, free: false)
    }
}
