import Qcow2

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if os(Linux)
/// `<unistd.h>` defines these only under `_GNU_SOURCE`, which Swift's Glibc module does not set.
private let seekData: Int32 = 3
private let seekHole: Int32 = 4
#else
private let seekData: Int32 = SEEK_DATA
private let seekHole: Int32 = SEEK_HOLE
#endif

/// Where a host file has data and where it has holes, asked of the kernel with
/// `lseek(SEEK_DATA/seekHole)` as QEMU's file-posix driver does (`find_allocation`).
///
/// QEMU reports a raw file's holes, and the holes under a metadata-preallocated qcow2 image's data
/// clusters, as zero (`raw_co_block_status`); `qemu-img map` output depends on it, so the guest map
/// asks the same question. The probe opens its own read-only descriptor (`O_RDONLY`, never
/// written) and remembers the last extent, so walking a file front to back costs one pair of
/// `lseek` calls per extent, not per cluster.
final class HostExtentProbe {
    /// Bytes in the file when the probe opened it.
    let size: UInt64
    /// Bytes the file occupies on disk (`st_blocks * 512`, QEMU's `raw_get_allocated_file_size`).
    let allocatedBytes: UInt64
    private let descriptor: Int32
    private var cachedStart: UInt64 = 0
    private var cachedEnd: UInt64 = 0
    private var cachedIsData = false

    /// Opens the path whose bytes are `rawPath` (as the layer's file was opened; they need not be
    /// UTF-8) read-only; nil when it cannot be opened (the map then treats it as all data, as QEMU
    /// does when it "learned nothing").
    init?(rawPath: [UInt8]) {
        let fd = withCPath(rawPath) { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            return nil
        }
        descriptor = fd
        size = info.st_size > 0 ? UInt64(info.st_size) : 0
        allocatedBytes = info.st_blocks > 0 ? UInt64(info.st_blocks) &* 512 : 0
    }

    deinit { close(descriptor) }

    /// Whether `offset` holds data, and where that run of data (or hole) ends. Past the end of the
    /// file everything is a hole that never ends (`SEEK_DATA` fails with `ENXIO`: a trailing hole).
    func extent(at offset: UInt64) -> (isData: Bool, end: UInt64) {
        if offset >= cachedStart && offset < cachedEnd { return (cachedIsData, cachedEnd) }
        let result = lookUp(offset)
        cachedStart = offset
        cachedEnd = result.end
        cachedIsData = result.isData
        return result
    }

    private func lookUp(_ offset: UInt64) -> (isData: Bool, end: UInt64) {
        if offset >= size || offset > UInt64(Int64.max) { return (false, .max) }
        let start = off_t(offset)
        let data = lseek(descriptor, start, seekData)
        if data < 0 {
            // ENXIO: a trailing hole. Any other error: nothing learned, QEMU says data.
            return (errno != ENXIO, .max)
        }
        if data < start { return (true, .max) }
        if data > start { return (false, UInt64(data)) }
        let hole = lseek(descriptor, start, seekHole)
        if hole < 0 { return (errno != ENXIO, .max) }
        if hole > start { return (true, UInt64(hole)) }
        // A hole was dug between the two calls (QEMU's -EBUSY): nothing learned, data.
        return (true, .max)
    }
}
