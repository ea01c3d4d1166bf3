import Qcow2

/// The GUID partition table: the primary header at LBA 1 and its entry array, or — when either is
/// damaged — the backup header at the disk's last LBA (or where the primary's AlternateLBA points)
/// with its own array. Each problem is a finding; a disk whose both copies are unusable has no
/// partitions and an error finding.
enum GPTTable {
    /// The sector size of a GPT disk: 512, or 4096 when "EFI PART" sits at 0x1000 instead (4Kn).
    static func sectorSize(_ disk: VolumeReader) -> UInt64? {
        for size: UInt64 in [512, 4096] {
            if let signature = try? disk.bytes(8, at: size, for: .gptHeader), signature == Array("EFI PART".utf8) {
                return size
            }
        }
        return nil
    }

    static func read(_ disk: VolumeReader, sectorSize: UInt64) -> PartitionScan {
        var findings: [Finding] = []
        let lastLBA = max(disk.length / sectorSize, 1) - 1
        var backupLBA = lastLBA
        var chosen: (header: GPTHeader, entries: [UInt8])?
        do {
            let header = try header(disk, lba: 1, sectorSize: sectorSize)
            if header.alternateLBA > 1, header.alternateLBA <= lastLBA { backupLBA = header.alternateLBA }
            chosen = (header, try header.readEntries(disk, sectorSize: sectorSize))
            checkBackup(disk, primary: header, lastLBA: lastLBA, sectorSize: sectorSize, findings: &findings)
        } catch {
            findings.append(Finding(error))
        }
        if chosen == nil {
            var candidates = [backupLBA]
            if backupLBA != lastLBA { candidates.append(lastLBA) }
            for lba in candidates where lba > 1 {
                do {
                    let header = try header(disk, lba: lba, sectorSize: sectorSize)
                    chosen = (header, try header.readEntries(disk, sectorSize: sectorSize))
                    findings.append(Finding(.warning, .gptHeader, at: disk.guestOffset(lba &* sectorSize),
                                            "the primary GPT is damaged; using the backup header at LBA \(lba)"))
                    break
                } catch {
                    findings.append(Finding(error))
                }
            }
        }
        guard let (header, entries) = chosen else {
            findings.append(Finding(.error, .gptHeader, at: disk.guestOffset(sectorSize),
                                    "neither the primary nor the backup GPT is usable; no partitions read"))
            return PartitionScan(table: .gpt, partitions: [], findings: findings)
        }
        let partitions = self.partitions(disk, header: header, entries: entries, sectorSize: sectorSize, findings: &findings)
        return PartitionScan(table: .gpt, partitions: partitions, findings: findings)
    }

    /// With a good primary, the backup is only checked: a damaged one, or one not at the last LBA
    /// (a disk grown after partitioning), is a warning — the next repair would need it.
    private static func checkBackup(_ disk: VolumeReader, primary: GPTHeader, lastLBA: UInt64, sectorSize: UInt64,
                                    findings: inout [Finding]) {
        let lba = primary.alternateLBA
        do {
            _ = try header(disk, lba: lba, sectorSize: sectorSize)
            if lba != lastLBA {
                findings.append(Finding(.info, .gptHeader, at: disk.guestOffset(lba &* sectorSize),
                                        "the backup GPT header is at LBA \(lba), not at the disk's last LBA \(lastLBA) (the disk was grown?)"))
            }
        } catch {
            findings.append(Finding(.warning, error.structure, at: error.offset, "backup GPT: \(error.reason)"))
        }
    }

    private static func header(_ disk: VolumeReader, lba: UInt64, sectorSize: UInt64) throws(FormatError) -> GPTHeader {
        let (offset, overflow) = lba.multipliedReportingOverflow(by: sectorSize)
        guard !overflow else { throw FormatError(.gptHeader, at: UInt64.max, "LBA \(lba) is beyond any disk") }
        let sector = try disk.bytes(Int(sectorSize), at: offset, for: .gptHeader)
        return try GPTHeader(sector: sector, lba: lba, at: disk.guestOffset(offset))
    }

    /// The used entries (type GUID not all zero), numbered by index from 1.
    private static func partitions(_ disk: VolumeReader, header: GPTHeader, entries: [UInt8], sectorSize: UInt64,
                                   findings: inout [Finding]) -> [PartitionEntry] {
        var partitions: [PartitionEntry] = []
        // The entries were read, so readEntries found entriesLBA × sectorSize without overflow.
        let arrayOffset = disk.guestOffset(header.entriesLBA &* sectorSize)
        for index in 0..<header.entryCount {
            let base = index * header.entrySize
            guard entries[base..<base + 16].contains(where: { $0 != 0 }) else { continue }
            let number = index + 1
            let at = arrayOffset &+ UInt64(base)
            let first = entries.le64(base + 0x20), last = entries.le64(base + 0x28)
            guard first <= last else {
                findings.append(Finding(.error, .gptEntries, at: at, "partition \(number) ends (LBA \(last)) before it starts (LBA \(first))"))
                continue
            }
            if first < header.firstUsableLBA || last > header.lastUsableLBA {
                findings.append(Finding(.warning, .gptEntries, at: at,
                                        "partition \(number) (LBA \(first)–\(last)) lies outside the usable LBAs \(header.firstUsableLBA)–\(header.lastUsableLBA)"))
            }
            let (start, o1) = first.multipliedReportingOverflow(by: sectorSize)
            let (length, o2) = (last - first + 1).multipliedReportingOverflow(by: sectorSize)
            guard !o1, !o2 else {
                findings.append(Finding(.error, .gptEntries, at: at, "partition \(number) (LBA \(first)–\(last)) is beyond any disk"))
                continue
            }
            let entry = PartitionEntry(number: number, start: start, length: length,
                                       type: entries.mixedEndianGUID(base) ?? "",
                                       name: entries.utf16LEText(base + 0x38, units: 36))
            if let kept = entry.clipped(to: disk.length, structure: .gptEntries, at: at, findings: &findings) {
                partitions.append(kept)
            }
        }
        return partitions
    }
}
