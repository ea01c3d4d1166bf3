#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Finds qcow2 images under directories, by their magic (`QFI\xfb`) and never by their name: a
/// store names images `.img`, `.disk` or nothing at all, and a `.qcow2` may be anything.
///
/// The walk follows symbolic links (a store is often a tree of links into pools) but enters each
/// directory once, by device and inode, so a link back to an ancestor cannot loop; a file reached
/// twice (a second link, a hard link) is reported once. Names are bytes, as the kernel gives them;
/// entries are visited in byte order so two runs over the same tree agree. What cannot be read is
/// reported to `skipped` and the walk goes on. Only regular files are opened, read-only and
/// non-blocking, for their first four bytes.
public struct ImageDiscovery {
    /// Something the walk could not look at, and why.
    public struct Skip: Sendable, Hashable {
        public var rawPath: [UInt8]
        public var reason: String
    }

    /// A qcow2 image found under `root` (the path it was found by, joined to the root as given).
    public struct Found: Sendable, Hashable {
        public var rawPath: [UInt8]
        public var root: [UInt8]
    }

    private var visitedDirectories: Set<FileIdentity> = []
    private var seenFiles: Set<FileIdentity> = []
    private let found: (Found) -> Void
    private let skipped: (Skip) -> Void

    /// Walks `roots` (directories or files) in order, calling `found` for each image as it is met.
    public static func walk(_ roots: [[UInt8]], found: @escaping (Found) -> Void, skipped: @escaping (Skip) -> Void) {
        var walker = ImageDiscovery(found: found, skipped: skipped)
        for root in roots { walker.visit(root, root: root, explicit: true) }
    }

    private init(found: @escaping (Found) -> Void, skipped: @escaping (Skip) -> Void) {
        self.found = found
        self.skipped = skipped
    }

    private mutating func visit(_ path: [UInt8], root: [UInt8], explicit: Bool) {
        let status: FileStatus
        switch FileStatus.of(rawPath: path) {
        case .success(let s): status = s
        case .failure(let e):
            skipped(Skip(rawPath: path, reason: e.kind.message))
            return
        }
        if status.isDirectory {
            guard visitedDirectories.insert(status.identity).inserted else { return }
            for name in entries(of: path) { visit(Self.join(path, name), root: root, explicit: false) }
        } else if status.isRegularFile {
            guard seenFiles.insert(status.identity).inserted else { return }
            switch Self.hasQcow2Magic(path) {
            case .success(true): found(Found(rawPath: path, root: root))
            case .success(false):
                if explicit { skipped(Skip(rawPath: path, reason: "not a qcow2 image (no QFI\\xfb magic)")) }
            case .failure(let e): skipped(Skip(rawPath: path, reason: e.kind.message))
            }
        } else if explicit {
            skipped(Skip(rawPath: path, reason: "not a regular file or directory"))
        }
    }

    /// The names in directory `path` but `.` and `..`, sorted by their bytes; a directory that
    /// cannot be opened is reported and reads as empty.
    private func entries(of path: [UInt8]) -> [[UInt8]] {
        guard let dir = withCPath(path, { opendir($0) }) else {
            skipped(Skip(rawPath: path, reason: "cannot open directory: \(String(cString: strerror(errno)))"))
            return []
        }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: &entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name == [0x2E] || name == [0x2E, 0x2E] || name.isEmpty { continue }
            names.append(name)
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// `directory/name`, without doubling a trailing slash.
    static func join(_ directory: [UInt8], _ name: [UInt8]) -> [UInt8] {
        directory.last == UInt8(ascii: "/") ? directory + name : directory + [UInt8(ascii: "/")] + name
    }

    /// Whether the file starts with the qcow2 magic; opening it is the only way to know, and a
    /// file that cannot be opened (permissions) is a failure, not "no".
    static func hasQcow2Magic(_ path: [UInt8]) -> Result<Bool, FormatError> {
        do {
            let file = try ReadOnlyFile(rawPath: path)
            guard file.size >= 4 else { return .success(false) }
            let magic = try file.readBytes(4, at: 0, for: .file)
            return .success(magic.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } == Qcow2.magic)
        } catch {
            return .failure(error)
        }
    }
}
