#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What kind of file a path names, by `lstat(2)`: the link itself, never what it points to, and
/// the file is never opened (`vet` looks at names beside an upload this way).
public enum FileType: String, Sendable, Hashable {
    case regular, directory, symlink, characterDevice = "character device", blockDevice = "block device", fifo, socket, other

    /// The type of the file whose path is the bytes `rawPath`; nil when `lstat` fails (most often:
    /// it does not exist).
    public static func of(linkAt rawPath: [UInt8]) -> FileType? {
        var info = stat()
        guard withCPath(rawPath, { lstat($0, &info) }) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        case S_IFIFO: return .fifo
        case S_IFSOCK: return .socket
        default: return .other
        }
    }
}
