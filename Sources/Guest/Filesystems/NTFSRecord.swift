import Qcow2

/// One MFT record ("FILE record") with its update-sequence fixups applied, and the attributes in it
/// (guest-formats.md §7; Linux fs/ntfs/mst.c `post_read_mst_fixup`; Microsoft
/// FILE_RECORD_SEGMENT_HEADER / ATTRIBUTE_RECORD_HEADER).
struct NTFSRecord: Sendable {
    /// At most this many attributes are walked in a record (a record is at most 64 KiB and each
    /// attribute at least 24 bytes; the cap ends a walk whose lengths go nowhere).
    static let maxAttributes = 512

    var bytes: [UInt8]
    /// Guest offset of the record, for findings.
    var offset: UInt64

    /// Checks the "FILE" magic and applies the fixups: the last two bytes of every 512-byte stride
    /// must equal the update sequence number, and are replaced by the saved values.
    init(_ raw: [UInt8], at offset: UInt64) throws(FormatError) {
        self.offset = offset
        guard raw.count >= 48 else { throw FormatError(.ntfsMFTRecord, at: offset, "record of \(raw.count) bytes is too short") }
        let magic = String(decoding: raw[0..<4], as: UTF8.self)
        guard magic == "FILE" else {
            throw FormatError(.ntfsMFTRecord, at: offset, magic == "BAAD" ? "record is marked torn (BAAD)" : "no FILE signature")
        }
        let usaOffset = Int(raw.le16(4)), usaCount = Int(raw.le16(6))
        guard usaCount >= 1, usaCount - 1 == raw.count / 512, usaOffset + 2 * usaCount <= raw.count else {
            throw FormatError(.ntfsMFTRecord, at: offset + 4, "update sequence array (\(usaCount) entries at +\(usaOffset)) does not fit a \(raw.count)-byte record")
        }
        var bytes = raw
        let usn = raw.le16(usaOffset)
        for i in 1..<usaCount {
            let end = 512 * i - 2
            guard raw.le16(end) == usn else {
                throw FormatError(.ntfsMFTRecord, at: offset + UInt64(end), "fixup mismatch in sector \(i - 1): the record is torn")
            }
            bytes[end] = raw[usaOffset + 2 * i]
            bytes[end + 1] = raw[usaOffset + 2 * i + 1]
        }
        self.bytes = bytes
    }

    /// An attribute of the record: where its header starts inside ``bytes``.
    struct Attribute {
        var type: UInt32
        var start: Int
        var length: Int
        var nonResident: Bool
        var nameLength: Int
    }

    /// The attributes in order, up to the end marker; a length that leaves the record stops the walk
    /// with an error.
    func attributes() throws(FormatError) -> [Attribute] {
        var list: [Attribute] = []
        var position = Int(bytes.le16(0x14))
        for _ in 0..<Self.maxAttributes {
            guard position >= 0x18, position + 4 <= bytes.count else { break }
            let type = bytes.le32(position)
            if type == 0xFFFF_FFFF { return list }
            let length = Int(bytes.le32(position + 4))
            guard length >= 24, length <= bytes.count - position else {
                throw FormatError(.ntfsMFTRecord, at: offset + UInt64(position), "attribute \(hex(UInt64(type))) has length \(length), past the record")
            }
            list.append(Attribute(type: type, start: position, length: length,
                                  nonResident: bytes[position + 8] != 0, nameLength: Int(bytes[position + 9])))
            position += length
        }
        throw FormatError(.ntfsMFTRecord, at: offset, "no end marker among the first \(Self.maxAttributes) attributes")
    }

    /// The value of a resident attribute, clipped to the attribute.
    func residentValue(_ attribute: Attribute) -> [UInt8] {
        let length = Int(bytes.le32(attribute.start + 0x10)), valueOffset = Int(bytes.le16(attribute.start + 0x14))
        let from = attribute.start + valueOffset, end = attribute.start + attribute.length
        guard from <= end else { return [] }
        return Array(bytes[from..<min(end, from + length)])
    }

    /// The unnamed $DATA attribute (type 0x80, no name); an $ATTRIBUTE_LIST means parts of it may
    /// live in other records, which is reported rather than followed.
    func unnamedData() throws(FormatError) -> Attribute {
        let all = try attributes()
        if let data = all.first(where: { $0.type == 0x80 && $0.nameLength == 0 }) { return data }
        if all.contains(where: { $0.type == 0x20 }) {
            throw FormatError(.ntfsMFTRecord, at: offset, "$DATA is in an attribute list's extension records (not followed)")
        }
        throw FormatError(.ntfsMFTRecord, at: offset, "no unnamed $DATA attribute")
    }
}
