/// Little- and big-endian loads from a byte array at a relative offset, returning 0 past the end.
///
/// Guest filesystems mix byte orders (ext and NTFS are little-endian, XFS big-endian). Callers read
/// whole on-disk structures first (so a short structure is already an error) and then decode fields
/// with these; a field past the end reads as zero rather than trapping.
extension Array where Element == UInt8 {
    @inline(__always) func le16(_ offset: Int) -> UInt16 { UInt16(truncatingIfNeeded: loadLE(offset, 2)) }
    @inline(__always) func le32(_ offset: Int) -> UInt32 { UInt32(truncatingIfNeeded: loadLE(offset, 4)) }
    @inline(__always) func le64(_ offset: Int) -> UInt64 { loadLE(offset, 8) }
    @inline(__always) func be16(_ offset: Int) -> UInt16 { UInt16(truncatingIfNeeded: loadBE(offset, 2)) }
    @inline(__always) func be32(_ offset: Int) -> UInt32 { UInt32(truncatingIfNeeded: loadBE(offset, 4)) }
    @inline(__always) func be64(_ offset: Int) -> UInt64 { loadBE(offset, 8) }

    private func loadLE(_ offset: Int, _ width: Int) -> UInt64 {
        guard offset >= 0, offset <= count - width else { return 0 }
        var value: UInt64 = 0
        for i in stride(from: width - 1, through: 0, by: -1) { value = value << 8 | UInt64(self[offset + i]) }
        return value
    }

    private func loadBE(_ offset: Int, _ width: Int) -> UInt64 {
        guard offset >= 0, offset <= count - width else { return 0 }
        var value: UInt64 = 0
        for i in 0..<width { value = value << 8 | UInt64(self[offset + i]) }
        return value
    }

    /// The bytes at `offset..<offset+count` up to the first NUL, as text (invalid UTF-8 repaired);
    /// nil when empty. Labels are escaped for the terminal where they are shown, not here.
    func nulTerminatedText(_ offset: Int, _ width: Int) -> String? {
        guard offset >= 0, width > 0, offset <= count - width else { return nil }
        let field = self[offset..<offset + width]
        let text = field.prefix { $0 != 0 }
        return text.isEmpty ? nil : String(decoding: text, as: UTF8.self)
    }

    /// A 16-byte UUID at `offset` as blkid prints it: lower-case, dashed 8-4-4-4-12 (nil when all zero).
    func uuidText(_ offset: Int) -> String? {
        guard offset >= 0, offset <= count - 16 else { return nil }
        let raw = self[offset..<offset + 16]
        guard raw.contains(where: { $0 != 0 }) else { return nil }
        var text = ""
        for (i, byte) in raw.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { text += "-" }
            text += String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
        }
        return text
    }
}
