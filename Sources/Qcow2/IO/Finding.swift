/// A non-fatal problem found while decoding or analysing an image.
///
/// As in swift-format, fatal errors (`throws`) are kept apart from findings a run collects: the
/// header still shows when a snapshot is broken, and the explorer lists every finding.
public struct Finding: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case info, warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a.order < b.order }
        private var order: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
    }

    public var severity: Severity
    public var structure: Structure
    /// Absolute byte offset in the image file the finding is about.
    public var offset: UInt64
    public var message: String

    public init(_ severity: Severity, _ structure: Structure, at offset: UInt64, _ message: String) {
        self.severity = severity
        self.structure = structure
        self.offset = offset
        self.message = message
    }

    public init(_ error: FormatError, severity: Severity = .error) {
        self.init(severity, error.structure, at: error.offset, error.reason)
    }

    public var description: String { "\(severity.rawValue): \(structure.rawValue) at \(hex(offset)): \(message)" }
}
