import Foundation

/// Writes an mkfs.xfs protofile (`-p`) that copies a directory tree into the new filesystem: the
/// way to populate XFS without mounting it.
enum XFSProto {
    static func write(_ root: String, to path: String) throws {
        var lines = ["/dev/null", "0 0", "d--755 0 0"]
        try entries(root, into: &lines, depth: 1)
        lines.append("$")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    private static func entries(_ directory: String, into lines: inout [String], depth: Int) throws {
        let indent = String(repeating: " ", count: depth)
        for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() {
            let path = directory + "/" + name
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                lines.append("\(indent)\(name) d--755 0 0")
                try entries(path, into: &lines, depth: depth + 1)
                lines.append("\(indent)$")
            } else {
                lines.append("\(indent)\(name) ---644 0 0 \(path)")
            }
        }
    }
}
