extension SurveyRecord {
    /// The CSV header: ``columns`` joined by commas.
    public static var csvHeader: String { columns.joined(separator: ",") }

    /// The record as one CSV line (RFC 4180): numbers and booleans bare, null empty, strings
    /// quoted when they hold a comma, quote or line break. Control characters in a path are
    /// escaped as JSON escapes them (`\u001b`), so the file is safe to `cat` to a terminal.
    public var csvLine: String {
        values.map(Self.csvField).joined(separator: ",")
    }

    static func csvField(_ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case .string(let s):
            var escaped = ""
            for scalar in s.unicodeScalars {
                if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) {
                    let h = String(scalar.value, radix: 16)
                    escaped += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else if scalar == "\"" {
                    escaped += "\"\""
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
            return s.contains(where: { $0 == "," || $0 == "\"" }) ? "\"" + escaped + "\"" : escaped
        default: return value.line()
        }
    }
}
