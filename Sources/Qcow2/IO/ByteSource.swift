/// Where bytes come from: the one seam every read of an image, a backing file or a guest disk goes
/// through.
///
/// The format and analysis layers never ask *where* bytes live. A local file (``ReadOnlyFile``), a
/// guest disk read through a qcow2 mapping, and (later) a remote image over HTTP or NBD are all byte
/// sources; tests put a source that returns short reads or `EIO` in front of any of them
/// (``FaultySource`` in the tests).
///
/// A source is read-only by construction: the protocol has no way to write. Only ``size`` and
/// ``read(into:at:)`` must be written; the rest have answers for a source that cannot tell.
public protocol ByteSource: AnyObject, Sendable {
    /// The size in bytes, as it was when the source was opened.
    var size: UInt64 { get }

    /// Reads up to `buffer.count` bytes at `offset`. Returns the number of bytes read, which is less
    /// than requested only at the end of the source; throws a ``FormatError`` naming the structure
    /// `.file` and the offset when the read itself fails.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(FormatError) -> Int

    /// The bytes that name the source: a file's path as handed to `open(2)` (any bytes, not
    /// necessarily UTF-8), a URL. Shown only escaped (``displayPath``). Empty by default.
    var rawPath: [UInt8] { get }

    /// Whether `offset` lies in data or in a hole, and where that run ends (a file answers with
    /// `lseek(SEEK_DATA/SEEK_HOLE)`, as QEMU's file-posix driver does). nil when the source cannot
    /// tell, which callers read as data (QEMU: "learned nothing").
    func allocation(at offset: UInt64) -> SourceExtent?

    /// Bytes the source occupies on its storage (`st_blocks` × 512 for a file), when known.
    var allocatedBytes: UInt64? { get }

    /// Whether another process (a running QEMU) holds a lock on the source; nil when the source
    /// has no locks or the question failed. Asking never takes a lock.
    func isLockedByAnotherProcess() -> Bool?

    /// Device and inode of the file behind the source (a backing chain that names a file already
    /// in it loops); nil when the source is not a file.
    var fileIdentity: FileIdentity? { get }

    /// The same source opened afresh (a new descriptor, the size as it is now), for re-reading an
    /// image a running QEMU keeps changing; nil when the source cannot be opened again.
    func reopened() throws(FormatError) -> (any ByteSource)?

    /// Says which ranges the caller is about to read, so a source with a high cost per request
    /// (HTTP, NBD) can fetch them together: in parallel, adjacent ranges merged into one request.
    /// A hint only: reads must work the same without it. A local file asks the kernel to read ahead.
    func prefetch(_ ranges: [Range<UInt64>])

    /// The URL a remote source was opened from; nil for a local file. Names a remote image stores
    /// (its backing file) resolve against it and reach only its server (``RemoteURL/reach(_:)``).
    var remoteURL: RemoteURL? { get }

    /// Opens `url`, on this remote source's server, the way this source was opened (same timeouts,
    /// TLS settings and statistics). Only remote sources can; others throw.
    func openOnSameServer(_ url: RemoteURL) throws(FormatError) -> any ByteSource
}

/// A run of data or of a hole in a source (``ByteSource/allocation(at:)``).
public struct SourceExtent: Sendable, Hashable {
    public var isData: Bool
    /// Where the run ends (exclusive); `UInt64.max` when it runs to the end and beyond.
    public var end: UInt64

    public init(isData: Bool, end: UInt64) {
        self.isData = isData
        self.end = end
    }
}

extension ByteSource {
    public var rawPath: [UInt8] { [] }
    public func allocation(at offset: UInt64) -> SourceExtent? { nil }
    public var allocatedBytes: UInt64? { nil }
    public func isLockedByAnotherProcess() -> Bool? { nil }
    public var fileIdentity: FileIdentity? { nil }
    public func reopened() throws(FormatError) -> (any ByteSource)? { nil }
    public func prefetch(_ ranges: [Range<UInt64>]) {}
    public var remoteURL: RemoteURL? { nil }
    public func openOnSameServer(_ url: RemoteURL) throws(FormatError) -> any ByteSource {
        throw FormatError(.backingFile, at: 0, .invalid("\(url) cannot be opened from a local file"))
    }

    /// ``rawPath`` decoded as UTF-8 (invalid bytes replaced by U+FFFD), for JSON and for paths
    /// built on it; messages use ``displayPath``.
    public var path: String { String(decoding: rawPath, as: UTF8.self) }
    /// ``rawPath`` escaped for a terminal (invalid UTF-8 shown as `\xNN`).
    public var displayPath: String { RawString.escape(rawPath) }
    /// The last component of ``rawPath``, escaped the same way.
    public var displayName: String { RawString.escape(rawPath.split(separator: UInt8(ascii: "/")).last ?? rawPath[...]) }
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
        guard !overflow, end <= size else {
            throw FormatError(structure, at: offset, .readPastEnd(count: count, offset: offset, size: size))
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

    /// Fills `buffer` from `offset`; bytes past the end read as zero (as QEMU's block layer pads
    /// reads past EOF). Used by hot loops that reuse one buffer for many tables; returns how many
    /// bytes came from the source. A read that comes back short before the end is an error
    /// (``FormatError/Kind/shortRead(got:wanted:)``), not zeros.
    @discardableResult
    public func readZeroFilled(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(FormatError) -> Int {
        let got = try read(into: buffer, at: offset)
        if got < buffer.count, offset < size, UInt64(got) < size - offset {
            throw FormatError(.file, at: offset, .shortRead(got: got, wanted: buffer.count))
        }
        if got < buffer.count, let base = buffer.baseAddress {
            (base + got).initializeMemory(as: UInt8.self, repeating: 0, count: buffer.count - got)
        }
        return got
    }
}
