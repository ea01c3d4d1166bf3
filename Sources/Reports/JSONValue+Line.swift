extension JSONValue {
    /// Serialises on one line with no spaces, for newline-delimited JSON (one record a line, as
    /// `jq`, DuckDB's `read_json` and log shippers read it). Strings are escaped as in
    /// ``rendered(indent:)``, so a record never contains a raw newline or control character.
    public func line() -> String {
        var out = ""
        writeLine(to: &out)
        return out
    }

    private func writeLine(to out: inout String) {
        switch self {
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.writeLine(to: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (i, (key, value)) in pairs.enumerated() {
                if i > 0 { out += "," }
                out += Self.quote(key) + ":"
                value.writeLine(to: &out)
            }
            out += "}"
        default:
            // Scalars render the same on one line as indented.
            out += rendered()
        }
    }
}
