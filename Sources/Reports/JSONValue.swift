/// A JSON value with ordered object keys, for output that reads like QEMU's own.
///
/// Reports build these instead of `Codable` structs so key order is exactly the order written
/// (qemu-img's order first, ours after) and optional keys are simply left out.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.int(x), .int(y)): x == y
        case let (.uint(x), .uint(y)): x == y
        case let (.double(x), .double(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.array(x), .array(y)): x == y
        case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The value under `key` in an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    /// The value as an unsigned number, when it is a non-negative integer.
    public var uint: UInt64? {
        switch self {
        case .uint(let v): v
        case .int(let v): v >= 0 ? UInt64(v) : nil
        default: nil
        }
    }
    public var string: String? { if case .string(let s) = self { s } else { nil } }
    /// The elements of an array; empty for anything else.
    public var items: [JSONValue] { if case .array(let a) = self { a } else { [] } }
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
}

/// Builds an object from pairs, dropping those whose value is nil.
public func jsonObject(_ pairs: [(String, JSONValue?)]) -> JSONValue {
    .object(pairs.compactMap { key, value in value.map { (key, $0) } })
}

extension JSONValue {
    /// Serialises with 4-space indentation as `qemu-img --output=json` does.
    public func rendered(indent: Int = 0) -> String {
        var out = ""
        write(to: &out, indent: indent)
        return out
    }

    private func write(to out: inout String, indent: Int) {
        let pad = String(repeating: " ", count: indent + 4)
        let close = String(repeating: " ", count: indent)
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .uint(let u): out += String(u)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .string(let s): out += Self.quote(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(to: &out, indent: indent + 4)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += close + "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (key, value)) in pairs.enumerated() {
                out += pad + Self.quote(key) + ": "
                value.write(to: &out, indent: indent + 4)
                out += i + 1 < pairs.count ? ",\n" : "\n"
            }
            out += close + "}"
        }
    }

    /// JSON string escaping: quotes, backslash, and every control character (C0, DEL, C1) as
    /// `\uXXXX`, so image text cannot reach a terminal raw even through `--json`.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) {
                    let h = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
