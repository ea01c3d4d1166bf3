/// Text fields of guest structures that are not plain UTF-8: GUIDs in GPT's mixed-endian layout and
/// UTF-16LE names (GPT partition names, NTFS volume labels).
extension Array where Element == UInt8 {
    /// A 16-byte GUID at `offset` as GPT tools print it: upper-case, dashed, the first three fields
    /// stored little-endian (UEFI spec, "EFI_GUID"); nil past the end.
    func mixedEndianGUID(_ offset: Int) -> String? {
        guard offset >= 0, offset <= count - 16 else { return nil }
        let order = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15]
        var text = ""
        for index in order {
            if index < 0 { text += "-"; continue }
            let byte = self[offset + index]
            text += String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
        }
        return text
    }

    /// `units` UTF-16LE code units at `offset`, up to the first NUL (invalid pairs repaired); nil when
    /// empty. Escaped for the terminal where shown, not here.
    func utf16LEText(_ offset: Int, units: Int) -> String? {
        guard offset >= 0, units > 0 else { return nil }
        let available = Swift.max(0, Swift.min(units, (count - offset) / 2))
        var codeUnits: [UInt16] = []
        codeUnits.reserveCapacity(available)
        for i in 0..<available {
            let unit = le16(offset + 2 * i)
            if unit == 0 { break }
            codeUnits.append(unit)
        }
        return codeUnits.isEmpty ? nil : String(decoding: codeUnits, as: UTF16.self)
    }
}
