import Qcow2

/// An LVM2 physical volume's label and header (guest-formats.md §4; lvm2 lib/label/label.h,
/// lib/format_text/layout.h): "LABELONE" in one of sectors 0–3, the PV header with the PV UUID,
/// device size, data areas and metadata areas, all little-endian.
struct LVMLabel: Sendable {
    /// At most this many data or metadata area descriptors are read (LVM writes one or two).
    static let maxAreas = 8

    struct Area: Sendable, Hashable {
        var offset: UInt64
        var size: UInt64
    }

    /// Byte offset of the label sector in the PV.
    var sectorOffset: UInt64
    /// The PV UUID, hyphenated 6-4-4-4-4-4-6 as LVM prints it and as the metadata text names it.
    var uuid: String
    var deviceSize: UInt64
    var dataAreas: [Area]
    var metadataAreas: [Area]

    /// The sector (0–3) holding "LABELONE" + "LVM2 001", if any.
    static func find(_ volume: VolumeReader) -> (sector: [UInt8], offset: UInt64)? {
        for index: UInt64 in 0..<4 {
            guard let sector = try? volume.bytes(512, at: index * 512, for: .lvmLabel) else { return nil }
            if Array(sector[0..<8]) == Array("LABELONE".utf8), Array(sector[0x18..<0x20]) == Array("LVM2 001".utf8) {
                return (sector, index * 512)
            }
        }
        return nil
    }

    init(_ volume: VolumeReader) throws(FormatError) {
        guard let (sector, offset) = Self.find(volume) else {
            throw FormatError(.lvmLabel, at: volume.guestOffset(0), "no LABELONE label in sectors 0–3")
        }
        sectorOffset = offset
        let headerOffset = Int(sector.le32(0x14))
        guard headerOffset >= 0x20, headerOffset + 0x28 + 16 <= 512 else {
            throw FormatError(.lvmLabel, at: volume.guestOffset(offset + 0x14), "PV header offset \(headerOffset) is outside the label sector")
        }
        let stored = sector.le32(0x10), computed = CRC32.lvm(sector[0x14..<512])
        guard stored == computed else {
            throw FormatError(.lvmLabel, at: volume.guestOffset(offset + 0x10),
                              "label CRC \(hex(UInt64(stored))) does not match its contents (\(hex(UInt64(computed))))")
        }
        let raw = String(decoding: sector[headerOffset..<headerOffset + 32], as: UTF8.self)
        uuid = Self.hyphenated(raw)
        deviceSize = sector.le64(headerOffset + 0x20)
        // Two zero-terminated lists of {offset, size}: data areas, then metadata areas.
        var position = headerOffset + 0x28
        func list() -> [Area] {
            var areas: [Area] = []
            while position + 16 <= 512 {
                let area = Area(offset: sector.le64(position), size: sector.le64(position + 8))
                position += 16
                if area.offset == 0 { break }
                if areas.count < Self.maxAreas { areas.append(area) }
            }
            return areas
        }
        dataAreas = list()
        metadataAreas = list()
    }

    /// The 32-character UUID with LVM's hyphens (6-4-4-4-4-4-6).
    static func hyphenated(_ raw: String) -> String {
        var text = ""
        for (i, character) in raw.enumerated() {
            if [6, 10, 14, 18, 22, 26].contains(i) { text.append("-") }
            text.append(character)
        }
        return text
    }
}
