#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `errno` values in words, through the platform's C library (for ``FormatError/Kind/io(errno:operation:)``).
enum SystemError {
    static func text(_ code: Int32) -> String { String(cString: strerror(code)) }
    /// `ENOENT`, the platform's value.
    static let noSuchFile: Int32 = ENOENT
    /// `EIO`, the platform's value.
    static let ioError: Int32 = EIO
}
