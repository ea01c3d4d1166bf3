import Qcow2

/// One buffer, allocated once per scan, that every table read goes through.
///
/// L2 tables, refcount blocks and L1 chunks are read with `pread` into this buffer and decoded
/// in place with ``UnsafeRawBufferPointer/be64(at:)``, so the hot loops allocate nothing.
/// Bytes past the end of the file read as zeros, as QEMU's block layer returns them.
final class TableBuffer {
    let bytes: UnsafeMutableRawBufferPointer
    /// When set, every successful read is hashed into it (scans of images in use, `--watch`).
    var fingerprint: MetadataFingerprint?

    init(byteCount: Int) {
        let size = max(byteCount, 4096)
        bytes = UnsafeMutableRawBufferPointer(start: ZeroedMemory.allocateRaw(bytes: size, alignment: 4096), count: size)
    }

    deinit { bytes.deallocate() }

    var capacity: Int { bytes.count }

    /// Reads `count` bytes at `offset` (zero-filled past EOF) and returns them, or nil when the
    /// read failed (an I/O error, which QEMU counts as a check error).
    func read(_ file: any ByteSource, at offset: UInt64, count: Int) -> UnsafeRawBufferPointer? {
        let target = UnsafeMutableRawBufferPointer(rebasing: bytes[0..<min(max(count, 0), bytes.count)])
        do {
            try file.readZeroFilled(into: target, at: offset)
        } catch {
            return nil
        }
        if fingerprint != nil { fingerprint?.record(offset: offset, bytes: UnsafeRawBufferPointer(target)) }
        return UnsafeRawBufferPointer(target)
    }
}
