import Foundation
import TestSupport

/// Where the hostile suite finds the repository, the built binary and its inputs.
///
/// The suite runs the real `qcowscope` executable (not the library), because what must hold —
/// exit status, no signal, bounded memory, safe bytes on the terminal — is a property of the
/// process. SwiftPM builds the executable next to the test bundle, so it is found there.
enum Paths {
    /// The repository root, from this file's path (Tests/HostileTests/Harness/Paths.swift).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let corpus = root.appendingPathComponent("Tests/Mutations/corpus")
    static let fixtures = root.appendingPathComponent("Tests/Fixtures/images")
    static let regressions = root.appendingPathComponent("Fuzz/regressions")

    /// `qcowscope` beside the running test executable, or `$QCOWSCOPE_BIN`.
    static let binary: String? = QcowscopeBinary.path

    /// Regular `*.qcow2` files directly inside `dir` (not its subdirectories), sorted.
    static func images(in dir: URL, extensions: Set<String> = ["qcow2"]) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().map { dir.appendingPathComponent($0) }.filter { url in
            var isDir: ObjCBool = false
            return extensions.contains(url.pathExtension)
                && FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && !isDir.boolValue
        }
    }

    /// Every regular file under `dir`, recursively, sorted (for the never-writes fingerprint).
    static func allFiles(under dir: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        var out: [URL] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            out.append(url)
        }
        return out.sorted { $0.path < $1.path }
    }
}
