/// A fatal decoding error: the named structure at the absolute file offset could not be read,
/// and why, as a ``Kind``.
///
/// Errors are values that say *what*, *where* and *why*, e.g. `L1 table at 0x30000: 4294967295
/// entries exceed the 32 MiB limit`; the message is derived from the kind, so callers and tests
/// decide on the kind, never on the text. The library throws only when nothing of a structure can
/// be used; partial damage becomes a ``Finding`` instead.
public struct FormatError: Error, Sendable, Hashable, CustomStringConvertible {
    public var structure: Structure
    public var offset: UInt64
    public var kind: Kind

    public init(_ structure: Structure, at offset: UInt64, _ kind: Kind) {
        self.structure = structure
        self.offset = offset
        self.kind = kind
    }

    /// An error of kind ``Kind/invalid(_:)``: a value the format does not allow, said in words.
    public init(_ structure: Structure, at offset: UInt64, _ reason: String) {
        self.init(structure, at: offset, .invalid(reason))
    }

    /// Why, in words (derived from ``kind``).
    public var reason: String { kind.message }

    public var description: String { "\(structure.rawValue) at \(hex(offset)): \(reason)" }
}
