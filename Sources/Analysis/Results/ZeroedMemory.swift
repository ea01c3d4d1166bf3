#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

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

    /// Per-cluster tables from this size on come from ``allocatePages(_:count:)``'s own pages.
    static let pagedBytes = 4 << 20

    /// `count` zeros of type `T`, to be given back with ``release(_:count:)``. Large tables
    /// (``pagedBytes`` and more, Linux) get pages of their own (`mmap`), which the kernel zeroes
    /// when they are first touched, so they are not written twice; and a second thread touches
    /// them all ahead (`madvise(MADV_POPULATE_WRITE)`, which never changes what they hold) while
    /// the scan reads the image's tables: on a 1 TiB image with 64 KiB clusters, faulting in the
    /// 33 MB of per-cluster tables was a quarter of a warm `check`.
    static func allocatePages<T: FixedWidthInteger>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        #if os(Linux)
        let bytes = max(count, 1) * MemoryLayout<T>.stride
        if bytes >= pagedBytes, let raw = mapPages(bytes: bytes) {
            return raw.bindMemory(to: T.self, capacity: max(count, 1))
        }
        #endif
        return allocate(type, count: count)
    }

    /// Gives back a table of ``allocatePages(_:count:)``.
    static func release<T: FixedWidthInteger>(_ pointer: UnsafeMutablePointer<T>, count: Int) {
        #if os(Linux)
        let bytes = max(count, 1) * MemoryLayout<T>.stride
        if bytes >= pagedBytes, mapped.withLock({ $0.remove(UInt(bitPattern: pointer)) != nil }) {
            _ = munmap(pointer, roundedUp(bytes))
            return
        }
        #endif
        pointer.deallocate()
    }

    #if os(Linux)
    /// The tables that came from `mmap` (an `mmap` can fail; those fall back to the heap).
    private static let mapped = Mutex<Set<UInt>>([])

    private static func roundedUp(_ bytes: Int) -> Int { (bytes + hugePage - 1) / hugePage * hugePage }

    /// `bytes` (rounded up to 2 MiB) of zeroed pages aligned to 2 MiB, advised as huge pages,
    /// populated on another thread; nil when the kernel refuses.
    private static func mapPages(bytes: Int) -> UnsafeMutableRawPointer? {
        let size = roundedUp(bytes)
        // One huge page more than needed, so a 2 MiB-aligned start lies inside; the rest is unmapped.
        guard let base = mmap(nil, size + hugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              base != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        let address = UInt(bitPattern: base)
        let aligned = (address + UInt(hugePage) - 1) / UInt(hugePage) * UInt(hugePage)
        let head = Int(aligned - address)
        if head > 0 { _ = munmap(base, head) }
        if hugePage - head > 0 { _ = munmap(base + head + size, hugePage - head) }
        let start = base + head
        _ = madvise(start, size, MADV_HUGEPAGE)
        mapped.withLock { _ = $0.insert(aligned) }
        let populate = UInt(bitPattern: start)
        DispatchQueue.global(qos: .userInitiated).async {
            // MADV_POPULATE_WRITE (Linux 5.14): faults the pages in as if written, keeping their
            // contents; an older kernel answers EINVAL and the scan faults them itself.
            if let p = UnsafeMutableRawPointer(bitPattern: populate) { _ = madvise(p, size, 23) }
        }
        return start
    }
    #endif
}
