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
        of(rawPath: Array(path.utf8))
    }

    /// Stats the path whose bytes are `rawPath` (a backing file name need not be UTF-8).
    public static func of(rawPath: [UInt8]) -> Result<FileStatus, FormatError> {
        var info = stat()
        guard withCPath(rawPath, { stat($0, &info) }) == 0 else {
            return .failure(FormatError(.file, at: 0, .io(errno: errno, operation: "cannot stat \(RawString.escape(rawPath))")))
        }
        return .success(FileStatus(info))
    }

    /// Device and inode: two paths naming the same file have the same identity.
    public var identity: FileIdentity { FileIdentity(device: device, inode: inode) }
}

extension FileStatus {
    /// From what `stat(2)` or `fstat(2)` filled in.
    init(_ info: stat) {
        let type = info.st_mode & S_IFMT
        self.init(
            device: UInt64(truncatingIfNeeded: info.st_dev), inode: UInt64(truncatingIfNeeded: info.st_ino),
            isRegularFile: type == S_IFREG, isDirectory: type == S_IFDIR,
            size: info.st_size > 0 ? UInt64(info.st_size) : 0,
            allocatedBytes: info.st_blocks > 0 ? UInt64(info.st_blocks) &* 512 : 0)
    }
}

extension ReadOnlyFile {
    /// What `fstat(2)` says about the open file now: no path involved, so it is the file that was
    /// opened whatever its name's bytes.
    public func status() -> Result<FileStatus, FormatError> {
        var info = stat()
        guard fstat(descriptorForLockQuery, &info) == 0 else {
            return .failure(FormatError(.file, at: 0, .io(errno: errno, operation: "cannot stat \(displayPath)")))
        }
        return .success(FileStatus(info))
    }
}

/// A file's identity (device, inode), for loop detection.
public struct FileIdentity: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64
}
