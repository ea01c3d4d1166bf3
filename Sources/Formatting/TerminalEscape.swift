/// The one way text reaches a terminal safely: bytes or scalars that could drive the terminal or
/// hide text are written as `\xNN` (C0 controls, DEL, bytes that are not UTF-8) or `\u{…}`
/// (C1 controls, bidirectional overrides, zero-width characters, and whatever else a caller
/// asks to escape), and a backslash as `\\`. Image text (``escape(_:doublingBackslashes:)``),
/// report messages and the widgets' cell text all use this notation.
public enum TerminalEscape {
    /// Scalars never printed raw: C0 controls, DEL, C1 controls, bidirectional overrides and
    /// zero-width characters (which can disguise text).
    public static func isUnsafe(_ v: UInt32) -> Bool {
        switch v {
        case 0x00..<0x20, 0x7F..<0xA0, 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }

    /// The escaped form of one scalar: `\xNN` for C0 controls and DEL, `\u{…}` otherwise.
    public static func escaped(_ v: UInt32) -> String {
        let hex = String(v, radix: 16)
        if v < 0x20 || v == 0x7F { return "\\x" + (hex.count < 2 ? "0" + hex : hex) }
        return "\\u{" + hex + "}"
    }

    /// `bytes` made safe: unsafe scalars escaped, bytes that are not well-formed UTF-8 as `\xNN`,
    /// and a backslash doubled (unless `doublingBackslashes` is false: for text that already
    /// holds escaped image text).
    ///
    /// Linear and allocation-light (one output buffer, bytes copied through), because names can be
    /// 64 KiB long and reports escape them often: a fuzzed image with a 10 KiB snapshot id made the
    /// scan spend seconds here with a per-character `String` implementation.
    public static func escape<Bytes: Collection>(_ bytes: Bytes, doublingBackslashes: Bool = true) -> String
    where Bytes.Element == UInt8 {
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
            if scalar == 0x5C, doublingBackslashes {
                out += [0x5C, 0x5C]
            } else if scalar < 0x20 || scalar == 0x7F {
                appendHexByte(UInt8(scalar), to: &out)
            } else if isUnsafe(scalar) {
                out += Array(escaped(scalar).utf8)
            } else {
                out += all[i..<(i + length)]
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
