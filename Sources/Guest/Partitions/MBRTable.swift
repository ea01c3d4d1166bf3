import Qcow2

/// The DOS partition table in sector 0: four primary entries, and logical partitions in the chain of
/// extended boot records an extended entry starts (guest-formats.md §2; Linux
/// block/partitions/msdos.c). All fields little-endian; CHS fields are ignored.
enum MBRTable {
    static let sectorSize: UInt64 = 512
    /// Type bytes of an extended container (CHS, LBA, Linux).
    static let extendedTypes: Set<UInt8> = [0x05, 0x0F, 0x85]
    /// The protective entry of a GPT disk.
    static let protectiveType: UInt8 = 0xEE

    /// One 16-byte slot of an MBR or EBR.
    struct Slot {
        var status: UInt8
        var type: UInt8
        var startLBA: UInt64
        var sectors: UInt64
        var isEmpty: Bool { type == 0 || sectors == 0 }

        init(_ sector: [UInt8], index: Int) {
            let base = 0x1BE + 16 * index
            status = sector.count > base ? sector[base] : 0
            type = sector.count > base + 4 ? sector[base + 4] : 0
            startLBA = UInt64(sector.le32(base + 8))
            sectors = UInt64(sector.le32(base + 12))
        }
    }

    /// True when `sector` ends in 55 AA, every status byte is 0x00 or 0x80 and at least one slot is
    /// in use: the test libblkid and the kernel apply before trusting sector 0 as a table.
    static func looksLikeTable(_ sector: [UInt8]) -> Bool {
        guard sector.count >= 512, sector[510] == 0x55, sector[511] == 0xAA else { return false }
        let slots = (0..<4).map { Slot(sector, index: $0) }
        guard slots.allSatisfy({ $0.status == 0 || $0.status == 0x80 }) else { return false }
        return slots.contains { !$0.isEmpty }
    }

    /// Whether sector 0 holds a protective (or hybrid) entry saying "read the GPT".
    static func hasProtectiveEntry(_ sector: [UInt8]) -> Bool {
        (0..<4).contains { Slot(sector, index: $0).type == protectiveType }
    }

    /// The partitions of the table in `sector0` (already checked with ``looksLikeTable``).
    static func read(_ disk: VolumeReader, sector0: [UInt8]) -> PartitionScan {
        var findings: [Finding] = []
        var partitions: [PartitionEntry] = []
        for index in 0..<4 {
            let slot = Slot(sector0, index: index)
            guard !slot.isEmpty else { continue }
            let slotOffset = disk.guestOffset(UInt64(0x1BE + 16 * index))
            if extendedTypes.contains(slot.type) {
                partitions += readChain(disk, container: slot, findings: &findings)
                continue
            }
            let entry = PartitionEntry(number: index + 1, start: slot.startLBA * sectorSize,
                                       length: slot.sectors * sectorSize, type: typeText(slot.type))
            guard slot.startLBA > 0 else {
                findings.append(Finding(.error, .mbr, at: slotOffset, "partition \(index + 1) starts at sector 0, over the table itself"))
                continue
            }
            if let kept = entry.clipped(to: disk.length, structure: .mbr, at: slotOffset, findings: &findings) {
                partitions.append(kept)
            }
        }
        // Logical partitions are numbered after every primary, whatever slot the container sits in.
        partitions.sort { $0.number < $1.number }
        return PartitionScan(table: .mbr, partitions: partitions, findings: findings)
    }

    /// `"0x83"`: the type byte as `space --json` shows it.
    static func typeText(_ type: UInt8) -> String {
        "0x" + (type < 0x10 ? "0" : "") + String(type, radix: 16)
    }
}
