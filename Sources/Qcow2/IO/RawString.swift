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

    /// ``escaped`` of at most the first `limit` bytes, then how many were left out: for finding
    /// messages, which may repeat one name a thousand times (a 64 KiB snapshot id escaped into each
    /// of 1000 sampled findings was 260 MB of text).
    public func escaped(limit: Int) -> String {
        guard bytes.count > limit else { return escaped }
        return Self.escape(bytes.prefix(max(0, limit))) + "…(+\(bytes.count - max(0, limit)) bytes)"
    }

    public var description: String { escaped }
    public var isEmpty: Bool { bytes.isEmpty }

    public static func < (a: RawString, b: RawString) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    /// Escapes arbitrary bytes for display (see ``escaped``).
    ///
    /// Linear and allocation-light (one output buffer, bytes copied through), because names can be
    /// 64 KiB long and reports escape them often: a fuzzed image with a 10 KiB snapshot id made the
    /// scan spend seconds here with a per-character `String` implementation.
    public static func escape<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let all = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(all.count + 16)
        var i = 0
        while i < all.count {
            let length = wellFormedLength(all, at: i)
            guard length > 0 else {
                appendHexByte(all[i], to: &out)  // not the start of well-formed UTF-8
                i += 1
                continue
            }
            let scalar = decode(all, at: i, length: length)
            switch scalar {
            case 0x5C: out += [0x5C, 0x5C]
            case 0x00..<0x20, 0x7F: appendHexByte(UInt8(scalar), to: &out)
            // C1 controls; bidirectional overrides and zero-width characters can disguise text.
            case 0x80..<0xA0, 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF:
                out += Array("\\u{".utf8) + Array(String(scalar, radix: 16).utf8) + [0x7D]
            default: out += all[i..<(i + length)]
            }
            i += length
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The length of the well-formed UTF-8 sequence starting at `i` (Unicode Table 3-7), or 0.
    private static func wellFormedLength(_ b: [UInt8], at i: Int) -> Int {
        let lead = b[i]
        func cont(_ k: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool { i + k < b.count && range.contains(b[i + k]) }
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1, 0xA0...0xBF) && cont(2) ? 3 : 0
        case 0xED: return cont(1, 0x80...0x9F) && cont(2) ? 3 : 0
        case 0xE1...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xF0: return cont(1, 0x90...0xBF) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1, 0x80...0x8F) && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }

    /// The scalar value of a well-formed sequence of `length` bytes at `i`.
    private static func decode(_ b: [UInt8], at i: Int, length: Int) -> UInt32 {
        switch length {
        case 1: return UInt32(b[i])
        case 2: return UInt32(b[i] & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
        case 3: return UInt32(b[i] & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
        default:
            return UInt32(b[i] & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F)
        }
    }

    /// `\xNN`, lowercase.
    private static func appendHexByte(_ byte: UInt8, to out: inout [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        let d = digits.utf8Start
        out += [0x5C, 0x78, d[Int(byte >> 4)], d[Int(byte & 15)]]
    }
}

extension String {
    /// This string made safe for a terminal, as ``RawString/escaped`` does for image bytes.
    public var terminalSafe: String { RawString.escape(Array(utf8)) }
}
