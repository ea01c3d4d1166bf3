#if canImport(Glibc)
import Glibc
#endif
import Qcow2

/// How a failed request is told apart, as the `errno` of the ``FormatError`` it becomes: a
/// connection that failed (ETIMEDOUT, ECONNRESET, ECONNREFUSED...) or a server that does not speak
/// ranges properly (EPROTO) ends every later read of the source at once (``isFatal(_:)``); a file
/// that is missing (ENOENT) or forbidden (EACCES) ends only that open.
enum RemoteFailure {
    static func error(at offset: UInt64, _ errno: Int32, _ what: String) -> FormatError {
        FormatError(.file, at: offset, .io(errno: errno, operation: what))
    }

    static func isFatal(_ error: FormatError) -> Bool {
        guard let code = error.kind.errno else { return false }
        return [ETIMEDOUT, ECONNRESET, ECONNREFUSED, EPROTO, EHOSTUNREACH, ENETUNREACH, EPIPE, EIO].contains(code)
    }
}
