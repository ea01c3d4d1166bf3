import Foundation
import Guest
import Qcow2
import TestSupport

/// Makes guest filesystems the way real disks come to be: a raw file first filled with non-zero
/// bytes (old data in what will be free space), then mkfs, then files deleted offline.
enum GuestDiskMaker {
    /// The path of an administration tool (mkfs.*, dumpe2fs, xfs_db live in /usr/sbin, which a test
    /// runner's PATH may lack); nil when it is not installed.
    static func tool(_ name: String) -> String? {
        Tools.find(name) ?? ["/usr/sbin", "/sbin"].map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether every tool named is installed.
    static func have(_ names: String...) -> Bool { names.allSatisfy { tool($0) != nil } }

    /// Writes `size` bytes of 0xA5 to `path` (a used disk's stale contents).
    static func filledFile(_ path: String, size: Int) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let chunk = Data(repeating: 0xA5, count: 1 << 20)
        var left = size
        while left > 0 {
            let n = min(left, chunk.count)
            try handle.write(contentsOf: chunk.prefix(n))
            left -= n
        }
    }

    /// Runs an administration tool and requires it to succeed; returns its standard output.
    @discardableResult
    static func run(_ name: String, _ arguments: [String], in directory: String) throws -> String {
        guard let path = tool(name) else { throw Failure("\(name) is not installed") }
        let out = try Tools.run([path] + arguments, in: directory)
        guard out.status == 0 else { throw Failure("\(name) \(arguments.joined(separator: " ")): exit \(out.status): \(out.stderr)") }
        return out.stdout
    }

    /// A directory of files of assorted sizes to populate a filesystem with (`mkfs -d`).
    static func populatedDirectory(in directory: String, files: Int = 12) throws -> String {
        let root = directory + "/content"
        try FileManager.default.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        for i in 0..<files {
            let size = 1000 + i * 37_000 + (i % 3) * 250_000
            var bytes = [UInt8](repeating: 0, count: size)
            for j in stride(from: 0, to: size, by: 512) { bytes[j] = UInt8.random(in: 1...255, using: &generator) }
            let path = i % 4 == 0 ? "\(root)/sub/f\(i)" : "\(root)/f\(i)"
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
        }
        return root
    }

    /// Opens a raw disk file as a volume covering all of it.
    static func volume(_ path: String) throws -> VolumeReader {
        VolumeReader(source: try ReadOnlyFile(path: path))
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ text: String) { description = text }
    }
}
