/// Text taken from an image (snapshot ids and names, bitmap names, backing and data file names,
/// feature names), kept as the bytes that were stored.
///
/// Image text is untrusted: it may hold escape sequences or invalid UTF-8. It never reaches a
/// terminal raw — views and text output use ``escaped``; JSON uses ``string`` and lets the encoder
/// escape control characters as JSON does.
public struct RawString: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(stringLiteral value: String) { self.bytes = Array(value.utf8) }

    /// The bytes decoded as UTF-8, invalid sequences replaced by U+FFFD (for JSON and for paths).
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// A form that is safe to print: C0 controls, DEL and C1 controls are written as `\xNN` or
    /// `\u{NN}`, invalid UTF-8 bytes as `\xNN`, and a backslash as `\\`, so nothing is hidden and
    /// nothing can drive the terminal.
    public var escaped: String { Self.escape(bytes) }

    public var description: String { escaped }
    public var isEmpty: Bool { bytes.isEmpty }

    public static func < (a: RawString, b: RawString) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    /// Escapes arbitrary bytes for display (see ``escaped``).
    public static func escape<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out = ""
        let all = Array(bytes)
        var i = 0
        while i < all.count {
            let b = all[i]
            if b < 0x80 {
                out += escapeScalar(Unicode.Scalar(b))
                i += 1
                continue
            }
            // Decode one multi-byte sequence; a malformed one is shown byte by byte.
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
            var decoder = UTF8()
            var it = all[i..<min(i + length, all.count)].makeIterator()
            if length > 1, i + length <= all.count, case .scalarValue(let scalar) = decoder.decode(&it) {
                out += escapeScalar(scalar)
                i += length
            } else {
                out += "\\x" + hex2(b)
                i += 1
            }
        }
        return out
    }

    private static func escapeScalar(_ s: Unicode.Scalar) -> String {
        switch s.value {
        case 0x5C: return "\\\\"
        case 0x00..<0x20, 0x7F: return "\\x" + hex2(UInt8(s.value))
        case 0x80..<0xA0: return "\\u{" + String(s.value, radix: 16) + "}"
        // Bidirectional overrides and zero-width characters can disguise text.
        case 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: return "\\u{" + String(s.value, radix: 16) + "}"
        default: return String(Character(s))
        }
    }

    private static func hex2(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)])
    }
}

extension String {
    /// This string made safe for a terminal, as ``RawString/escaped`` does for image bytes.
    public var terminalSafe: String { RawString.escape(Array(utf8)) }
}
