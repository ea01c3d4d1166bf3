import Qcow2

/// The volumes of a guest disk: its partition table (GPT, MBR with logical partitions, or none),
/// each partition probed for a filesystem, and LVM2 logical volumes beside the physical volumes
/// that hold them. The entry point of the Guest module.
///
/// Never throws: a damaged table is a finding and what could be read is kept; a volume nothing
/// recognises is of kind `unknown`.
public struct GuestDiskLayout: Sendable {
    public var diskSize: UInt64
    /// In guest order; logical volumes right after their physical volume, whose ``GuestVolume/segments``
    /// exclude them.
    public var volumes: [GuestVolume]
    /// Table-level findings (guest offsets).
    public var findings: [Finding]
    /// The partition table found (`none` for a whole-disk filesystem or an unknown disk).
    public var table: PartitionTableKind

    public static func read(_ disk: VolumeReader) -> GuestDiskLayout {
        let scan = partitions(disk)
        var volumes: [GuestVolume] = []
        for entry in scan.partitions.sorted(by: { ($0.start, $0.number) < ($1.start, $1.number) }) {
            let window = disk.window(at: entry.start, length: entry.length)
            volumes.append(GuestVolume(start: disk.guestOffset(entry.start), length: window.length, table: scan.table,
                                       partition: entry.number, type: entry.type, name: entry.name,
                                       filesystem: FilesystemProbe.read(window)))
        }
        if scan.table == .none {
            volumes.append(GuestVolume(start: disk.start, length: disk.length, table: .none, partition: nil, type: nil,
                                       filesystem: FilesystemProbe.read(disk)))
        }
        var findings = scan.findings
        volumes = LogicalVolumeLayout.resolve(disk, volumes: volumes, findings: &findings)
        return GuestDiskLayout(diskSize: disk.length, volumes: volumes, findings: findings, table: scan.table)
    }

    /// Which table sector 0 (and LBA 1) hold: GPT when "EFI PART" is there (a protective or hybrid
    /// MBR defers to it), MBR when sector 0 is a plausible table and not a FAT or NTFS boot sector
    /// (a "superfloppy" ends in 55 AA too), otherwise none.
    static func partitions(_ disk: VolumeReader) -> PartitionScan {
        let sector0 = (try? disk.bytes(512, at: 0, for: .mbr)) ?? []
        if let sectorSize = GPTTable.sectorSize(disk) {
            return GPTTable.read(disk, sectorSize: sectorSize)
        }
        if sector0.count == 512, MBRTable.hasProtectiveEntry(sector0) {
            // A protective MBR whose primary GPT header is gone: the backup may still be there.
            return GPTTable.read(disk, sectorSize: 512)
        }
        let isBootSector = NTFSBootSector.isNTFS(sector0) || FATBootSector(sector0) != nil
        if MBRTable.looksLikeTable(sector0), !isBootSector {
            return MBRTable.read(disk, sector0: sector0)
        }
        return PartitionScan(table: .none, partitions: [], findings: [])
    }
}
