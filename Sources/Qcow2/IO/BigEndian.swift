/// Big-endian loads from raw bytes: every number in qcow2 is stored big-endian (spec, "General").
///
/// These never allocate, so the L2 and refcount scans can decode millions of entries from one
/// reusable buffer. Callers check bounds; the `[UInt8]` helpers below return nil past the end.
extension UnsafeRawBufferPointer {
    @inline(__always) public func be64(at offset: Int) -> UInt64 {
        UInt64(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
    @inline(__always) public func be32(at offset: Int) -> UInt32 {
        UInt32(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
    @inline(__always) public func be16(at offset: Int) -> UInt16 {
        UInt16(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }
}

/// Bytes read from the image, with where they came from, so every error names the absolute
/// file offset. `get…(at:)` reads at an offset relative to `bytes[0]`.
public struct ByteReader: Sendable {
    public let bytes: [UInt8]
    /// Absolute file offset of `bytes[0]`.
    public let baseOffset: UInt64
    /// The structure being decoded, for errors.
    public let structure: Structure

    public init(_ bytes: [UInt8], baseOffset: UInt64, structure: Structure) {
        self.bytes = bytes
        self.baseOffset = baseOffset
        self.structure = structure
    }

    private func check(_ offset: Int, _ width: Int) throws(FormatError) {
        guard offset >= 0, width >= 0, offset <= bytes.count, width <= bytes.count - offset else {
            throw FormatError(structure, at: baseOffset &+ UInt64(max(offset, 0)),
                              "truncated: needs \(width) bytes at +\(offset), has \(bytes.count)")
        }
    }

    public func getU8(at offset: Int) throws(FormatError) -> UInt8 {
        try check(offset, 1)
        return bytes[offset]
    }
    public func getU16(at offset: Int) throws(FormatError) -> UInt16 {
        try check(offset, 2)
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }
    public func getU32(at offset: Int) throws(FormatError) -> UInt32 {
        try check(offset, 4)
        var v: UInt32 = 0
        for i in 0..<4 { v = v << 8 | UInt32(bytes[offset + i]) }
        return v
    }
    public func getU64(at offset: Int) throws(FormatError) -> UInt64 {
        try check(offset, 8)
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(bytes[offset + i]) }
        return v
    }
    public func getBytes(at offset: Int, count: Int) throws(FormatError) -> [UInt8] {
        try check(offset, count)
        return Array(bytes[offset..<offset + count])
    }
}

/// Formats an offset or size as `0x…` hex, the way errors and the header view show offsets.
public func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
