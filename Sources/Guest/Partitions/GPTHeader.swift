import Qcow2

/// A GPT header (guest-formats.md §3; UEFI spec §5.3.2; Linux block/partitions/efi.c
/// `is_gpt_valid`), all little-endian, validated as the kernel does: signature, header size, header
/// CRC-32, its own LBA, and the entry array's geometry and CRC-32.
struct GPTHeader: Sendable {
    /// Entry arrays larger than this are refused (128 × 128 bytes is 16 KiB; the spec has no upper
    /// bound, so a hostile count must not decide an allocation).
    static let maxEntryArrayBytes = 4 << 20

    var myLBA: UInt64
    var alternateLBA: UInt64
    var firstUsableLBA: UInt64
    var lastUsableLBA: UInt64
    var diskGUID: String
    var entriesLBA: UInt64
    var entryCount: Int
    var entrySize: Int
    var entriesCRC: UInt32

    /// Decodes and checks the header in `sector` (read at `lba`); throws naming what is wrong.
    init(sector: [UInt8], lba: UInt64, at offset: UInt64) throws(FormatError) {
        func fail(_ reason: String) -> FormatError { FormatError(.gptHeader, at: offset, reason) }
        guard sector.count >= 92, Array(sector[0..<8]) == Array("EFI PART".utf8) else { throw fail("no \"EFI PART\" signature") }
        let headerSize = Int(sector.le32(0x0C))
        guard headerSize >= 92, headerSize <= sector.count else {
            throw fail("header size \(headerSize) is outside 92…\(sector.count)")
        }
        var copy = Array(sector[0..<headerSize])
        for i in 0x10..<0x14 { copy[i] = 0 }
        let stored = sector.le32(0x10), computed = CRC32.ieee(copy)
        guard stored == computed else {
            throw fail("header CRC-32 \(hex(UInt64(stored))) does not match its contents (\(hex(UInt64(computed))))")
        }
        myLBA = sector.le64(0x18)
        guard myLBA == lba else { throw fail("header says it is at LBA \(myLBA), but was read at LBA \(lba)") }
        alternateLBA = sector.le64(0x20)
        firstUsableLBA = sector.le64(0x28)
        lastUsableLBA = sector.le64(0x30)
        diskGUID = sector.mixedEndianGUID(0x38) ?? ""
        entriesLBA = sector.le64(0x48)
        let count = UInt64(sector.le32(0x50)), size = UInt64(sector.le32(0x54))
        guard size >= 128, size.nonzeroBitCount == 1 else { throw fail("partition entry size \(size) is not 128·2ⁿ") }
        guard count * size <= UInt64(Self.maxEntryArrayBytes) else {
            throw fail("\(count) entries of \(size) bytes exceed the \(Self.maxEntryArrayBytes >> 20) MiB limit")
        }
        guard firstUsableLBA <= lastUsableLBA else {
            throw fail("first usable LBA \(firstUsableLBA) is past the last usable LBA \(lastUsableLBA)")
        }
        entryCount = Int(count)
        entrySize = Int(size)
        entriesCRC = sector.le32(0x58)
    }

    /// The entry array this header names, checked against its CRC-32.
    func readEntries(_ disk: VolumeReader, sectorSize: UInt64) throws(FormatError) -> [UInt8] {
        let (offset, overflow) = entriesLBA.multipliedReportingOverflow(by: sectorSize)
        guard !overflow else {
            throw FormatError(.gptEntries, at: UInt64.max, "entry array LBA \(entriesLBA) is beyond any disk")
        }
        let bytes = try disk.bytes(entryCount * entrySize, at: offset, for: .gptEntries)
        let computed = CRC32.ieee(bytes)
        guard computed == entriesCRC else {
            throw FormatError(.gptEntries, at: disk.guestOffset(offset),
                              "entry array CRC-32 \(hex(UInt64(computed))) does not match the header's \(hex(UInt64(entriesCRC)))")
        }
        return bytes
    }
}
