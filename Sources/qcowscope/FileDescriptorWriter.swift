#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered writes to a file descriptor (stdout/stderr), used for reports and errors.
enum FileDescriptorWriter {
    static func write(_ string: String, to fd: Int32) {
        var bytes = Array(string.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
            done += n
        }
    }
}
