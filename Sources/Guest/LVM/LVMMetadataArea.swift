import Qcow2

/// An LVM2 metadata area: its 512-byte header (magic " LVM2 x[5A%r0N*>", version 1, the ring's
/// start and size, and raw_locn[0] naming the current metadata text) and that text, which may wrap
/// from the ring's end to just after the header (lvm2 lib/format_text/layout.h; GRUB disk/lvm.c).
enum LVMMetadataArea {
    /// Metadata text longer than this is refused: LVM's default area is 1 MiB and real VGs use a few
    /// KiB; an untrusted size must not decide an allocation.
    static let maxTextBytes: UInt64 = 4 << 20
    static let magic = Array(" LVM2 x[5A%r0N*>".utf8)

    /// The current metadata text of the area at `area` (PV-relative bytes), and its PV offset.
    static func text(_ volume: VolumeReader, area: LVMLabel.Area) throws(FormatError) -> (text: [UInt8], offset: UInt64) {
        let header = try volume.bytes(512, at: area.offset, for: .lvmMetadata)
        let at = volume.guestOffset(area.offset)
        guard Array(header[4..<20]) == magic else { throw FormatError(.lvmMetadata, at: at, "metadata area header has no LVM2 magic") }
        guard header.le32(0x14) == 1 else { throw FormatError(.lvmMetadata, at: at + 0x14, "metadata area version \(header.le32(0x14)) is not 1") }
        let stored = header.le32(0), computed = CRC32.lvm(header[4..<512])
        guard stored == computed else {
            throw FormatError(.lvmMetadata, at: at, "metadata area header CRC \(hex(UInt64(stored))) does not match (\(hex(UInt64(computed))))")
        }
        // Bounded by the volume too, so offsets inside the ring cannot overflow.
        let ringSize = min(header.le64(0x20), area.size, volume.length - area.offset)
        let offset = header.le64(0x28), size = header.le64(0x30), flags = header.le32(0x3C)
        guard size > 0, offset != 0 else { throw FormatError(.lvmMetadata, at: at + 0x28, "metadata area holds no metadata") }
        guard flags & 1 == 0 else { throw FormatError(.lvmMetadata, at: at + 0x3C, "metadata area is flagged ignored") }
        guard size <= maxTextBytes else {
            throw FormatError(.lvmMetadata, at: at + 0x30, "metadata text of \(size) bytes exceeds the \(maxTextBytes >> 20) MiB limit")
        }
        guard ringSize > 512, offset >= 512, offset < ringSize, size <= ringSize - 512 else {
            throw FormatError(.lvmMetadata, at: at + 0x28, "metadata text (\(size) bytes at +\(offset)) does not fit its \(ringSize)-byte area")
        }
        // The ring wraps from its end to just after the header.
        let first = min(size, ringSize - offset)
        var text = try volume.bytes(Int(first), at: area.offset + offset, for: .lvmMetadata)
        if first < size { text += try volume.bytes(Int(size - first), at: area.offset + 512, for: .lvmMetadata) }
        let checksum = header.le32(0x38)
        if CRC32.lvm(text) != checksum {
            throw FormatError(.lvmMetadata, at: volume.guestOffset(area.offset + offset), "metadata text checksum does not match")
        }
        return (text, area.offset + offset)
    }
}
