#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The large buffers of a scan (per-cluster tables, the read buffer), allocated once.
///
/// Buffers of 2 MiB or more are aligned to 2 MiB and advised as huge pages
/// (`madvise(MADV_HUGEPAGE)`, Linux), so filling a 16 Mi-cluster map takes a few page faults
/// instead of thousands; only whole 2 MiB pieces are advised, so a tail costs no more memory
/// than ordinary pages.
enum ZeroedMemory {
    static let hugePage = 2 << 20

    /// `bytes` bytes, not initialised.
    static func allocateRaw(bytes: Int, alignment: Int) -> UnsafeMutableRawPointer {
        let size = max(bytes, 1)
        let align = size >= hugePage ? hugePage : alignment
        let raw = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: align)
        #if os(Linux)
        if align == hugePage { _ = madvise(raw, size / hugePage * hugePage, MADV_HUGEPAGE) }
        #endif
        return raw
    }

    /// `count` zeros of type `T`.
    static func allocate<T: FixedWidthInteger>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = max(count, 1) * MemoryLayout<T>.stride
        let raw = allocateRaw(bytes: bytes, alignment: MemoryLayout<T>.alignment)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        return raw.bindMemory(to: T.self, capacity: max(count, 1))
    }
}
