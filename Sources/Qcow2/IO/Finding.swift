/// A non-fatal problem found while decoding or analysing an image: the one finding type of
/// every module (Qcow2, Guest, Analysis), so every command prints findings in one JSON shape.
///
/// As in swift-format, fatal errors (`throws`) are kept apart from findings a run collects: the
/// header still shows when a snapshot is broken, and the explorer lists every finding.
public struct Finding: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case info, warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a.order < b.order }
        private var order: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
    }

    /// What kind of problem this is (``Kind``); the scan's kinds, plus `image` and `guest` for
    /// findings made while decoding.
    public var kind: Kind
    public var severity: Severity
    public var structure: Structure
    /// Absolute byte offset the finding is about: in the image file, or in the guest disk for
    /// guest structures.
    public var offset: UInt64
    /// Host cluster index of ``offset``, when the finder knew the cluster size.
    public var cluster: UInt64?
    /// How `qemu-img check` counts this finding (which decides its exit status).
    public var counting: Counting
    public var message: String

    /// A finding made while decoding: its kind follows from the structure unless given, and it
    /// counts as `qemu-img check` would count such a problem unless told.
    public init(_ severity: Severity, _ structure: Structure, at offset: UInt64, _ message: String,
                kind: Kind? = nil, cluster: UInt64? = nil, counting: Counting? = nil) {
        let kind = kind ?? Kind(structure)
        self.kind = kind
        self.severity = severity
        self.structure = structure
        self.offset = offset
        self.cluster = cluster
        self.counting = counting ?? kind.counting(severity)
        self.message = message
    }

    /// A finding the scan made: its structure follows from the kind unless given.
    public init(_ kind: Kind, at offset: UInt64, cluster: UInt64, _ message: String,
                severity: Severity, counting: Counting, structure: Structure? = nil) {
        self.init(severity, structure ?? kind.structure, at: offset, message, kind: kind, cluster: cluster,
                  counting: counting)
    }

    /// A fatal error of one structure kept as a finding; an I/O failure is a `read-error`.
    public init(_ error: FormatError, severity: Severity = .error) {
        self.init(severity, error.structure, at: error.offset, error.reason,
                  kind: error.kind.errno != nil ? .readError : nil)
    }

    public var description: String { "\(severity.rawValue): \(structure.rawValue) at \(hex(offset)): \(message)" }
}
