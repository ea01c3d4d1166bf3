import Foundation

/// The built `qcowscope` beside the test bundle (test targets that run it depend on the
/// executable, so it is built first), or `$QCOWSCOPE_BIN`.
public enum QcowscopeBinary {
    public static let path: String? = {
        if let explicit = ProcessInfo.processInfo.environment["QCOWSCOPE_BIN"], !explicit.isEmpty { return explicit }
        var dirs: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            dirs.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        dirs.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for dir in dirs {
            for base in [dir, dir.deletingLastPathComponent()] {
                let candidate = base.appendingPathComponent("qcowscope").path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()

    /// Runs it with `arguments` from `/`, killed after `seconds`.
    public static func run(_ arguments: [String], seconds: Int = 60) throws -> Tools.Output {
        try Tools.run(["timeout", String(seconds), path ?? "qcowscope"] + arguments, in: "/")
    }
}
