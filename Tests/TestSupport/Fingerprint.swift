import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The exact state of input files: bytes, size, mtime and ctime to the nanosecond.
///
/// ctime moves on any write or metadata change (chmod, truncate, utimes), so a tool that wrote and
/// then restored the old mtime is still caught. Reading never changes either.
public struct Fingerprint: Equatable, Sendable {
    public var path: String
    public var size: Int64
    public var mtime: timespec
    public var ctime: timespec
    public var bytes: Data

    public static func == (a: Fingerprint, b: Fingerprint) -> Bool {
        a.path == b.path && a.size == b.size && a.bytes == b.bytes
            && a.mtime.tv_sec == b.mtime.tv_sec && a.mtime.tv_nsec == b.mtime.tv_nsec
            && a.ctime.tv_sec == b.ctime.tv_sec && a.ctime.tv_nsec == b.ctime.tv_nsec
    }

    public init?(_ url: URL) {
        var info = stat()
        guard stat(url.path, &info) == 0, let data = try? Data(contentsOf: url) else { return nil }
        path = url.path
        size = Int64(info.st_size)
        mtime = info.st_mtim
        ctime = info.st_ctim
        bytes = data
    }

    /// Fingerprints of every file, in order.
    public static func take(_ urls: [URL]) -> [Fingerprint] { urls.compactMap(Fingerprint.init) }

    /// What differs between two takes, one line per changed file.
    public static func changes(before: [Fingerprint], after: [Fingerprint]) -> [String] {
        let old = Dictionary(before.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [String] = []
        for b in after {
            guard let a = old[b.path] else { out.append("\(b.path): appeared"); continue }
            if a.bytes != b.bytes { out.append("\(b.path): contents changed") }
            if a.size != b.size { out.append("\(b.path): size \(a.size) -> \(b.size)") }
            if a.mtime.tv_sec != b.mtime.tv_sec || a.mtime.tv_nsec != b.mtime.tv_nsec { out.append("\(b.path): mtime changed") }
            if a.ctime.tv_sec != b.ctime.tv_sec || a.ctime.tv_nsec != b.ctime.tv_nsec { out.append("\(b.path): ctime changed") }
        }
        let now = Set(after.map(\.path))
        out += before.filter { !now.contains($0.path) }.map { "\($0.path): disappeared" }
        return out
    }
}
