internal import CSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ReadOnlyFile {
    /// Data or hole at `offset`, asked of the kernel on the descriptor opened and validated at
    /// open (never a second open by path) with `lseek(SEEK_DATA/SEEK_HOLE)`, as QEMU's
    /// file-posix driver does (`find_allocation`). Past the end of the file everything is a hole
    /// that never ends (`SEEK_DATA` fails with `ENXIO`: a trailing hole); any other failure
    /// learned nothing, which QEMU reads as data.
    public func allocation(at offset: UInt64) -> SourceExtent? {
        if offset >= size || offset > UInt64(Int64.max) { return SourceExtent(isData: false, end: .max) }
        let start = off_t(offset)
        let data = lseek(descriptorForLockQuery, start, qs_seek_data())
        if data < 0 { return SourceExtent(isData: errno != ENXIO, end: .max) }
        if data < start { return SourceExtent(isData: true, end: .max) }
        if data > start { return SourceExtent(isData: false, end: UInt64(data)) }
        let hole = lseek(descriptorForLockQuery, start, qs_seek_hole())
        if hole < 0 { return SourceExtent(isData: errno != ENXIO, end: .max) }
        if hole > start { return SourceExtent(isData: true, end: UInt64(hole)) }
        // A hole was dug between the two calls (QEMU's -EBUSY): nothing learned, data.
        return SourceExtent(isData: true, end: .max)
    }

    /// Device and inode of the open file (`fstat`).
    public var fileIdentity: FileIdentity? {
        if case .success(let status) = status() { return status.identity }
        return nil
    }

    /// `st_blocks` × 512 of the open file (QEMU's `raw_get_allocated_file_size`).
    public var allocatedBytes: UInt64? {
        if case .success(let status) = status() { return status.allocatedBytes }
        return nil
    }
}
