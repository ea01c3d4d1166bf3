import Qcow2

extension Finding {
    /// The one JSON shape of a finding, printed by every command: `kind`, `structure`, `offset`,
    /// `cluster` (when known), `severity`, `counts-as`, `message`.
    public var json: JSONValue {
        jsonObject([
            ("kind", .string(kind.rawValue)),
            ("structure", .string(structure.rawValue)),
            ("offset", .uint(offset)),
            ("cluster", cluster.map(JSONValue.uint)),
            ("severity", .string(severity.rawValue)),
            ("counts-as", .string(counting.rawValue)),
            ("message", .string(message)),
        ])
    }
}
