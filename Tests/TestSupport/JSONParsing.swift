import Reports

/// A small strict JSON parser for tests: reads qemu-img's answers into ``JSONValue`` so they can be
/// compared with ours key by key (objects keep their order; numbers stay exact integers).
public struct JSONParser {
    public struct Failure: Error, CustomStringConvertible {
        public var position: Int
        public var description: String { "invalid JSON at byte \(position)" }
    }

    private let bytes: [UInt8]
    private var i = 0

    public static func parse(_ text: String) throws -> JSONValue {
        var p = JSONParser(bytes: Array(text.utf8))
        let value = try p.value()
        p.skipSpace()
        guard p.i == p.bytes.count else { throw Failure(position: p.i) }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
    }

    private mutating func expect(_ literal: String) throws {
        let l = Array(literal.utf8)
        guard i + l.count <= bytes.count, Array(bytes[i..<i + l.count]) == l else { throw Failure(position: i) }
        i += l.count
    }

    private mutating func value() throws -> JSONValue {
        skipSpace()
        guard i < bytes.count else { throw Failure(position: i) }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var pairs: [(String, JSONValue)] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
            while true {
                skipSpace()
                let key = try string()
                skipSpace()
                try expect(":")
                pairs.append((key, try value()))
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                try expect("}")
                return .object(pairs)
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [JSONValue] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                items.append(try value())
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                try expect("]")
                return .array(items)
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        default: return try number()
        }
    }

    private mutating func number() throws -> JSONValue {
        let start = i
        while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if let u = UInt64(text) { return .uint(u) }
        if let n = Int64(text) { return .int(n) }
        if let d = Double(text) { return .double(d) }
        throw Failure(position: start)
    }

    private mutating func string() throws -> String {
        try expect("\"")
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush() { scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars); raw.removeAll() }
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            if b == UInt8(ascii: "\"") { flush(); return String(scalars) }
            if b != UInt8(ascii: "\\") { raw.append(b); continue }
            flush()
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "b"): scalars.append("\u{8}")
            case UInt8(ascii: "f"): scalars.append("\u{C}")
            case UInt8(ascii: "u"):
                guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16),
                      let s = Unicode.Scalar(v) else { throw Failure(position: i) }
                scalars.append(s)
                i += 4
            default: scalars.append(Unicode.Scalar(e))
            }
        }
        throw Failure(position: i)
    }
}

/// Differences between two JSON values, as "path: ours ≠ qemu" lines. Object keys are compared
/// as sets (order is checked separately), arrays element by element.
public func jsonDifferences(_ ours: JSONValue, _ theirs: JSONValue, path: String = "$") -> [String] {
    switch (ours, theirs) {
    case let (.object(a), .object(b)):
        var out: [String] = []
        let keysA = Set(a.map(\.0)), keysB = Set(b.map(\.0))
        for k in keysB.subtracting(keysA).sorted() { out.append("\(path).\(k): missing in ours") }
        for k in keysA.subtracting(keysB).sorted() { out.append("\(path).\(k): extra in ours") }
        for (k, v) in a { if let w = b.first(where: { $0.0 == k })?.1 { out += jsonDifferences(v, w, path: "\(path).\(k)") } }
        return out
    case let (.array(a), .array(b)):
        guard a.count == b.count else { return ["\(path): \(a.count) items ≠ \(b.count)"] }
        return zip(a, b).enumerated().flatMap { jsonDifferences($1.0, $1.1, path: "\(path)[\($0)]") }
    case let (.int(x), .uint(y)) where x >= 0 && UInt64(x) == y: return []
    case let (.uint(x), .int(y)) where y >= 0 && UInt64(y) == x: return []
    default:
        return ours == theirs ? [] : ["\(path): \(ours.rendered()) ≠ \(theirs.rendered())"]
    }
}

/// `value` with `key` removed from its top-level object (and from each object of a top-level array).
public func removingKey(_ key: String, from value: JSONValue) -> JSONValue {
    switch value {
    case .object(let pairs): return .object(pairs.filter { $0.0 != key })
    case .array(let items): return .array(items.map { removingKey(key, from: $0) })
    default: return value
    }
}

/// The key order of every object in `value`, depth first (for comparing qemu-img's order).
public func keyOrders(_ value: JSONValue) -> [[String]] {
    switch value {
    case .object(let pairs): return [pairs.map(\.0)] + pairs.flatMap { keyOrders($0.1) }
    case .array(let items): return items.flatMap(keyOrders)
    default: return []
    }
}
