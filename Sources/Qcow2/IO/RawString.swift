import Formatting

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

    /// Escapes arbitrary bytes for display (see ``escaped``): ``TerminalEscape/escape(_:doublingBackslashes:)``.
    public static func escape<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        TerminalEscape.escape(bytes)
    }
}

extension String {
    /// This string made safe for a terminal, as ``RawString/escaped`` does for image bytes.
    public var terminalSafe: String { RawString.escape(Array(utf8)) }
}
