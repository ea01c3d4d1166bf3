import Formatting
import Qcow2
import Reports

/// A column of the interactive survey table: its title, the record key it shows and sorts by,
/// and how the value reads. Number keys 1–9 sort by the column of that number.
public struct SurveyColumn: Sendable, Hashable {
    public var title: String
    /// What the column sorts by.
    public var key: Key
    public var width: Int

    public enum Key: Sendable, Hashable {
        case path
        /// A record key holding bytes (shown human-readable) or a count.
        case bytes(String), count(String)
        /// `path` without the root it was found under (the title shows the roots).
    static func relative(_ path: [UInt8], to roots: [[UInt8]]) -> ArraySlice<UInt8> {
        for root in roots {
            let base = root.last == UInt8(ascii: "/") ? root : root + [UInt8(ascii: "/")]
            if path.count > base.count && path.starts(with: base) { return path[base.count...] }
        }
        return path[...]
    }

    /// corruptions + check-errors; unreadable images sort above every count.
        case errors
        /// In use, dirty, damaged or clean, as one word.
        case state
    }

    /// The table's columns, in order (their positions are the number keys).
    public static let all: [SurveyColumn] = [
        SurveyColumn(title: "PATH", key: .path, width: 0),
        SurveyColumn(title: "VIRTUAL", key: .bytes("virtual-size"), width: 9),
        SurveyColumn(title: "FILE", key: .bytes("file-size"), width: 9),
        SurveyColumn(title: "SAVING", key: .bytes("compact-saving-bytes"), width: 9),
        SurveyColumn(title: "LEAKED", key: .bytes("leaked-bytes"), width: 9),
        SurveyColumn(title: "ERRORS", key: .errors, width: 6),
        SurveyColumn(title: "FRAG", key: .count("score"), width: 4),
        SurveyColumn(title: "SNAPS", key: .count("snapshot-count"), width: 5),
        SurveyColumn(title: "STATE", key: .state, width: 8),
    ]

    /// The cell's text for `record`; a path under one of `roots` is shown relative to it.
    public func text(_ record: SurveyRecord, roots: [[UInt8]] = []) -> String {
        switch key {
        case .path: return RawString.escape(Self.relative(record.rawPath, to: roots))
        case .bytes(let k): return record[k].uint.map(Formatted.humanSize) ?? "-"
        case .count(let k): return record[k].uint.map { String($0) } ?? "-"
        case .errors: return Self.errors(record).map { String($0) } ?? "unread"
        case .state: return Self.state(record).word
        }
    }

    /// `path` without the root it was found under (the title shows the roots).
    static func relative(_ path: [UInt8], to roots: [[UInt8]]) -> ArraySlice<UInt8> {
        for root in roots {
            let base = root.last == UInt8(ascii: "/") ? root : root + [UInt8(ascii: "/")]
            if path.count > base.count && path.starts(with: base) { return path[base.count...] }
        }
        return path[...]
    }

    /// corruptions + check-errors; nil for an image that could not be read.
    static func errors(_ record: SurveyRecord) -> UInt64? {
        guard let corruptions = record["corruptions"].uint, let checkErrors = record["check-errors"].uint else { return nil }
        return corruptions &+ checkErrors
    }

    /// The one-word state and its rank (worst first when sorted descending).
    static func state(_ record: SurveyRecord) -> (word: String, rank: Int) {
        if record["error"] != .null { return ("unread", 5) }
        if (errors(record) ?? 0) > 0 { return ("damaged", 4) }
        if record["in-use"] == .bool(true) { return ("in use", 3) }
        if (record["leaks"].uint ?? 0) > 0 { return ("leaks", 2) }
        if record["dirty-flag"] == .bool(true) { return ("dirty", 1) }
        return ("clean", 0)
    }

    /// Orders two records by this column (ascending); ties fall back to the path.
    public func ascending(_ a: SurveyRecord, _ b: SurveyRecord) -> Bool {
        func number(_ r: SurveyRecord) -> UInt64? {
            switch key {
            case .path: nil
            case .bytes(let k), .count(let k): r[k].uint
            case .errors: Self.errors(r).map { $0 } ?? UInt64.max
            case .state: UInt64(Self.state(r).rank)
            }
        }
        if case .path = key { return a.rawPath.lexicographicallyPrecedes(b.rawPath) }
        let x = number(a) ?? 0, y = number(b) ?? 0
        return x != y ? x < y : a.rawPath.lexicographicallyPrecedes(b.rawPath)
    }
}
