import Qcow2

/// LVM2's text metadata as a tree (lvm2 lib/config/config.c syntax: `key = value`, `key { … }`,
/// values integers, "strings" or [lists], `#` comments), parsed with bounds: nesting depth, list
/// length and node count are capped, so garbage or hostile text ends in an error, not a crash, a
/// deep recursion or a large allocation.
indirect enum LVMConfig: Sendable, Hashable {
    case number(Int64)
    case string(String)
    case list([LVMConfig])
    case section([Entry])

    struct Entry: Sendable, Hashable {
        var key: String
        var value: LVMConfig
    }

    static let maxDepth = 16
    static let maxNodes = 200_000

    /// The value of `key` in a section (first match).
    subscript(_ key: String) -> LVMConfig? {
        guard case .section(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }
    var number: Int64? { if case .number(let n) = self { n } else { nil } }
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var items: [LVMConfig]? { if case .list(let l) = self { l } else { nil } }
    var entries: [Entry] { if case .section(let e) = self { e } else { [] } }

    /// Parses `text`; errors name the byte at `baseOffset` + position.
    static func parse(_ text: [UInt8], baseOffset: UInt64) throws(FormatError) -> LVMConfig {
        var parser = Parser(bytes: text, base: baseOffset)
        return .section(try parser.entries(depth: 0, closing: nil))
    }

    private struct Parser {
        let bytes: [UInt8]
        let base: UInt64
        var position = 0
        var nodes = 0

        func fail(_ reason: String) -> FormatError {
            FormatError(.lvmMetadata, at: base &+ UInt64(position), "metadata text: \(reason)")
        }

        mutating func skipSpace() {
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "#") {
                    while position < bytes.count, bytes[position] != 0x0A { position += 1 }
                } else if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                    position += 1
                } else {
                    return
                }
            }
        }

        static func isNameByte(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
        }

        mutating func count() throws(FormatError) {
            nodes += 1
            guard nodes <= LVMConfig.maxNodes else { throw fail("more than \(LVMConfig.maxNodes) values") }
        }

        /// `key = value` and `key { … }` pairs up to `closing` (or the end, at the top level). A NUL
        /// ends the text too (the on-disk text is NUL-terminated).
        mutating func entries(depth: Int, closing: UInt8?) throws(FormatError) -> [Entry] {
            guard depth <= LVMConfig.maxDepth else { throw fail("sections nested deeper than \(LVMConfig.maxDepth)") }
            var result: [Entry] = []
            while true {
                skipSpace()
                guard position < bytes.count, bytes[position] != 0 else {
                    if closing != nil { throw fail("a section is not closed") }
                    return result
                }
                if let closing, bytes[position] == closing { position += 1; return result }
                let start = position
                while position < bytes.count, Self.isNameByte(bytes[position]) { position += 1 }
                guard position > start else { throw fail("expected a name, found byte \(hex(UInt64(bytes[position])))") }
                let key = String(decoding: bytes[start..<position], as: UTF8.self)
                try count()
                skipSpace()
                guard position < bytes.count else { throw fail("\(key) has no value") }
                if bytes[position] == UInt8(ascii: "{") {
                    position += 1
                    result.append(Entry(key: key, value: .section(try entries(depth: depth + 1, closing: UInt8(ascii: "}")))))
                } else if bytes[position] == UInt8(ascii: "=") {
                    position += 1
                    result.append(Entry(key: key, value: try value(depth: depth + 1)))
                } else {
                    throw fail("expected = or { after \(key)")
                }
            }
        }

        mutating func value(depth: Int) throws(FormatError) -> LVMConfig {
            guard depth <= LVMConfig.maxDepth else { throw fail("values nested deeper than \(LVMConfig.maxDepth)") }
            try count()
            skipSpace()
            guard position < bytes.count else { throw fail("value missing at the end") }
            switch bytes[position] {
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "["):
                position += 1
                var items: [LVMConfig] = []
                while true {
                    skipSpace()
                    guard position < bytes.count else { throw fail("a list is not closed") }
                    if bytes[position] == UInt8(ascii: "]") { position += 1; return .list(items) }
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    if position < bytes.count, bytes[position] == UInt8(ascii: ",") { position += 1 }
                }
            default: return .number(try number())
            }
        }

        mutating func string() throws(FormatError) -> String {
            position += 1
            var out: [UInt8] = []
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                if byte == UInt8(ascii: "\\"), position < bytes.count {
                    out.append(bytes[position])
                    position += 1
                } else {
                    out.append(byte)
                }
            }
            throw fail("a string is not closed")
        }

        mutating func number() throws(FormatError) -> Int64 {
            let start = position
            if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
            // Floats (e.g. a creation time "1.5") keep their integer part; nothing here needs them.
            let integerEnd = position
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
            }
            guard let value = Int64(String(decoding: bytes[start..<integerEnd], as: UTF8.self)) else {
                position = start
                throw fail("expected a value")
            }
            return value
        }
    }
}
