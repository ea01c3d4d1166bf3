/// Bytes held in memory as a ``ByteSource``: the guest parsers' unit tests and the fuzz target hand
/// them a disk built in memory, so they run without files and without a qcow2 image.
///
/// Read-only like every source: the bytes are fixed when it is made.
public final class MemoryByteSource: ByteSource, Sendable {
    public let bytes: [UInt8]
    public var size: UInt64 { UInt64(bytes.count) }

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(FormatError) -> Int {
        guard offset < size else { return 0 }
        let from = Int(offset)
        let count = min(buffer.count, bytes.count - from)
        guard count > 0, let base = buffer.baseAddress else { return 0 }
        bytes.withUnsafeBytes { source in
            if let origin = source.baseAddress { base.copyMemory(from: origin + from, byteCount: count) }
        }
        return count
    }
}
