#if canImport(Glibc)
import Glibc
#endif

extension ReadOnlyFile {
    /// QEMU's image locking bytes (block/file-posix.c): a running QEMU takes shared OFD locks on
    /// byte 100 + n for each permission n it holds and on byte 200 + n for each it refuses to share.
    public static let qemuLockRange: Range<Int64> = 100..<300

    /// Whether another process (normally a running QEMU) holds a lock on QEMU's lock bytes.
    ///
    /// This only *asks* (`F_OFD_GETLK` with a write-lock probe); it never takes a lock, so opening
    /// an image that QEMU is using still works — QEMU's locks are advisory and we only read. Returns
    /// nil when the platform or file system cannot say.
    public func isLockedByAnotherProcess() -> Bool? {
        #if os(Linux)
        var probe = flock()
        probe.l_type = Int16(F_WRLCK)
        probe.l_whence = Int16(SEEK_SET)
        probe.l_start = off_t(Self.qemuLockRange.lowerBound)
        probe.l_len = off_t(Self.qemuLockRange.count)
        probe.l_pid = 0
        // F_OFD_GETLK is 36 on Linux (fcntl.h, _GNU_SOURCE); it reports locks of other open file
        // descriptions, which is what QEMU uses.
        let getOFDLock: Int32 = 36
        guard fcntl(descriptorForLockQuery, getOFDLock, &probe) == 0 else { return nil }
        return probe.l_type != Int16(F_UNLCK)
        #else
        return nil
        #endif
    }
}
