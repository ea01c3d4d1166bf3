#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves a path the way the kernel would, one component at a time, but looks only at what lies
/// inside a boundary directory: the first step outside ends the walk, so a refused name is never
/// stat-ed, read or followed (``ReachRule/decide(name:relativeTo:)``).
///
/// The boundary is resolved with `realpath`, so every proper prefix of it is a real directory and
/// can be walked through without looking; below it each component is `lstat`ed and a symbolic
/// link is replaced by its target (at most 40 of them, Linux's own limit, then `ELOOP`).
enum ReachWalk {
    enum Outcome: Equatable {
        /// The path resolves to something strictly inside the boundary.
        case inside
        /// A component inside the boundary cannot be looked at (`errno`): the open would fail too.
        case missing(Int32)
        /// The walk left the boundary (through a symbolic link or not); with the resolved boundary
        /// for messages, or nil when the boundary itself cannot be resolved.
        case outside(throughLink: Bool, boundary: String?)
    }

    private static let slash = UInt8(ascii: "/")
    private static let maxLinks = 40

    static func resolve(_ path: [UInt8], within boundary: [UInt8]) -> Outcome {
        guard let root = realPath(boundary) else {
            return .outside(throughLink: false, boundary: nil)
        }
        let rootParts = components(root)
        let shownRoot = RawString.escape(root)
        var pending = Array(components(path).reversed())
        var resolved: [[UInt8]] = []
        if path.first != slash {
            guard let cwd = workingDirectory() else { return .outside(throughLink: false, boundary: shownRoot) }
            resolved = components(cwd)
        }
        var throughLink = false
        var links = 0
        while let part = pending.popLast() {
            if part == [UInt8](".".utf8) { continue }
            if part == [UInt8]("..".utf8) {
                if !resolved.isEmpty { resolved.removeLast() }
                continue
            }
            let next = resolved + [part]
            // Ancestors of the (canonical) boundary are real directories: no need to look.
            if next.count <= rootParts.count, Array(rootParts.prefix(next.count)) == next {
                resolved = next
                continue
            }
            guard next.count > rootParts.count, Array(next.prefix(rootParts.count)) == rootParts else {
                return .outside(throughLink: throughLink, boundary: shownRoot)
            }
            let full = joined(next)
            var info = stat()
            guard withCPath(full, { lstat($0, &info) }) == 0 else { return .missing(errno) }
            guard info.st_mode & S_IFMT == S_IFLNK else {
                resolved = next
                continue
            }
            links += 1
            guard links <= maxLinks, let target = readLink(full) else { return .missing(links > maxLinks ? ELOOP : errno) }
            throughLink = true
            if target.first == slash { resolved = [] }
            pending += components(target).reversed()
        }
        let inside = resolved.count > rootParts.count && Array(resolved.prefix(rootParts.count)) == rootParts
        return inside ? .inside : .outside(throughLink: throughLink, boundary: shownRoot)
    }

    /// The non-empty components of a path ("" and repeated slashes dropped; "." and ".." kept).
    static func components(_ path: [UInt8]) -> [[UInt8]] {
        path.split(separator: slash, omittingEmptySubsequences: true).map(Array.init)
    }

    private static func joined(_ parts: [[UInt8]]) -> [UInt8] {
        parts.reduce(into: [UInt8]()) { $0.append(slash); $0 += $1 }
    }

    /// `realpath(3)` of the path bytes, nil when it fails.
    private static func realPath(_ path: [UInt8]) -> [UInt8]? {
        guard let resolved = withCPath(path, { realpath($0, nil) }) else { return nil }
        defer { free(resolved) }
        return Array(UnsafeBufferPointer(start: resolved, count: strlen(resolved))).map { UInt8(bitPattern: $0) }
    }

    private static func workingDirectory() -> [UInt8]? {
        guard let cwd = getcwd(nil, 0) else { return nil }
        defer { free(cwd) }
        return Array(UnsafeBufferPointer(start: cwd, count: strlen(cwd))).map { UInt8(bitPattern: $0) }
    }

    /// `readlink(2)` of a link's target, nil when it fails.
    private static func readLink(_ path: [UInt8]) -> [UInt8]? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = withCPath(path) { readlink($0, &buffer, buffer.count - 1) }
        guard n > 0 else { return nil }
        return buffer[..<n].map { UInt8(bitPattern: $0) }
    }
}
