/// Where bytes come from: the one seam every read of an image, a backing file or a guest disk goes
/// through.
///
/// The format and analysis layers never ask *where* bytes live. A local file (``ReadOnlyFile``), a
/// guest disk read through a qcow2 mapping, and (later) a remote image over HTTP or NBD are all byte
/// sources; tests put a source that returns short reads or `EIO` in front of any of them.
///
/// A source is read-only by construction: the protocol has no way to write.
public protocol ByteSource: AnyObject, Sendable {
    /// The size in bytes, as it was when the source was opened.
    var size: UInt64 { get }

    /// Reads up to `buffer.count` bytes at `offset`. Returns the number of bytes read, which is less
    /// than requested only at the end of the source; throws a ``FormatError`` naming the structure
    /// `.file` and the offset when the read itself fails.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(FormatError) -> Int
}

extension ByteSource {
    /// Reads exactly `count` bytes at `offset` for the structure `structure`, or throws a
    /// ``FormatError`` saying the structure runs past the end of the source.
    ///
    /// `count` must already be bounded by the caller (see ``DecodingLimits``); this only checks it
    /// against the size before allocating, so a hostile size never allocates more than the source.
    public func readBytes(_ count: Int, at offset: UInt64, for structure: Structure) throws(FormatError) -> [UInt8] {
        guard count >= 0 else { throw FormatError(structure, at: offset, "negative length") }
        let (end, overflow) = offset.addingReportingOverflow(UInt64(count))
        guard !overflow else { throw FormatError(structure, at: offset, .overflow) }
        guard end <= size else {
            throw FormatError(structure, at: offset, .pastEndOfFile(length: UInt64(count), end: end, fileSize: size))
        }
        var bytes = [UInt8](repeating: 0, count: count)
        let got = try bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(FormatError) -> Int in try read(into: buffer, at: offset) }
        }.get()
        guard got == count else {
            throw FormatError(structure, at: offset, .shortRead(got: got, wanted: count))
        }
        return bytes
    }

    /// Fills `buffer` from `offset`; bytes past the end read as zero. Used by hot loops that reuse
    /// one buffer for many tables; returns how many bytes came from the source.
    @discardableResult
    public func readZeroFilled(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(FormatError) -> Int {
        let got = try read(into: buffer, at: offset)
        if got < buffer.count, let base = buffer.baseAddress {
            (base + got).initializeMemory(as: UInt8.self, repeating: 0, count: buffer.count - got)
        }
        return got
    }
}
