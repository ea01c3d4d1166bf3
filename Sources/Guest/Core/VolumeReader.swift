import Qcow2

/// A window of a guest disk that a parser reads: `start` and `length` in guest bytes over any
/// ``ByteSource`` (a qcow2 guest disk, a raw disk file, a test's in-memory bytes).
///
/// Offsets given to it are relative to the window; the ``FormatError``s it throws carry the absolute
/// guest offset, so a finding says where on the guest disk the damage is. Reads are bounded by the
/// window, so a hostile field can never make a parser read outside its volume or allocate more than
/// the window holds.
public struct VolumeReader: Sendable {
    public let source: any ByteSource
    public let start: UInt64
    public let length: UInt64

    public init(source: any ByteSource, start: UInt64 = 0, length: UInt64? = nil) {
        self.source = source
        self.start = start
        let available = source.size > start ? source.size - start : 0
        self.length = min(length ?? available, available)
    }

    /// The absolute guest offset of `relative` (saturating: errors only name it).
    public func guestOffset(_ relative: UInt64) -> UInt64 {
        let (sum, overflow) = start.addingReportingOverflow(relative)
        return overflow ? UInt64.max : sum
    }

    /// Reads `count` bytes at `relative` for `structure`; throws when they do not lie inside the window.
    public func bytes(_ count: Int, at relative: UInt64, for structure: Structure) throws(FormatError) -> [UInt8] {
        guard count >= 0 else { throw FormatError(structure, at: guestOffset(relative), "negative length") }
        let (end, overflow) = relative.addingReportingOverflow(UInt64(count))
        guard !overflow, end <= length else {
            throw FormatError(structure, at: guestOffset(relative),
                              "\(count) bytes at +\(hex(relative)) run past the end of the volume (\(length) bytes)")
        }
        return try source.readBytes(count, at: start + relative, for: structure)
    }

    /// A sub-window, clipped to this one.
    public func window(at relative: UInt64, length: UInt64) -> VolumeReader {
        let from = min(relative, self.length)
        return VolumeReader(source: source, start: start + from, length: min(length, self.length - from))
    }
}
