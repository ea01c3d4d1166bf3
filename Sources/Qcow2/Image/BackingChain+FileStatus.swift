#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat(2)` says about a path: enough to refuse non-regular files before opening them
/// (opening a FIFO read-only blocks), to detect backing chain loops by device and inode, and to
/// report `actual-size` as QEMU does (st_blocks × 512).
public struct FileStatus: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64
    public var isRegularFile: Bool
    public var isDirectory: Bool
    /// st_size.
    public var size: UInt64
    /// st_blocks × 512: the bytes the file system allocated, what `qemu-img info` calls
    /// `actual-size` (QEMU's `raw_get_allocated_file_size`).
    public var allocatedBytes: UInt64

    /// Stats `path` (following symbolic links, as `open` would). Fails with the system's reason.
    public static func of(path: String) -> Result<FileStatus, FormatError> {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .failure(FormatError(.file, at: 0, "cannot stat \(path.terminalSafe): \(String(cString: strerror(errno)))"))
        }
        let type = info.st_mode & S_IFMT
        return .success(FileStatus(
            device: UInt64(truncatingIfNeeded: info.st_dev), inode: UInt64(truncatingIfNeeded: info.st_ino),
            isRegularFile: type == S_IFREG, isDirectory: type == S_IFDIR,
            size: info.st_size > 0 ? UInt64(info.st_size) : 0,
            allocatedBytes: info.st_blocks > 0 ? UInt64(info.st_blocks) &* 512 : 0))
    }

    /// Device and inode: two paths naming the same file have the same identity.
    public var identity: FileIdentity { FileIdentity(device: device, inode: inode) }
}

/// A file's identity (device, inode), for loop detection.
public struct FileIdentity: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64
}
