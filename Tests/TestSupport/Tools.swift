import Foundation

/// QEMU's tools and the shell, for the suites that ask the oracle. Suites that need a tool are
/// enabled only when it is on PATH, so the core suite runs on a machine without qemu.
public enum Tools {
    /// qemu-img and qemu-io: the image makers and the `check`/`map`/`measure` oracle.
    public static let qemu: Bool = find("qemu-img") != nil && find("qemu-io") != nil
    /// qemu-nbd and nbdinfo as well: the dirty-bitmap oracle.
    public static let nbd: Bool = qemu && find("qemu-nbd") != nil && find("nbdinfo") != nil

    /// `tool`'s path on PATH.
    public static func find(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `arguments` (the program looked up on PATH) in `directory` with `LC_ALL=C`, so
    /// messages compare the same on every machine.
    @discardableResult
    ///
    /// QEMU times PBKDF2 to pick LUKS iteration counts, and on a loaded machine that timing can fail
    /// ("Unable to get accurate CPU usage"): QEMU's flake, not ours, so such a run is tried again.
    public static func run(_ arguments: [String], in directory: String) throws -> Output {
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        var attempts = 0
        while true {
            let result = try Subprocess.run("/usr/bin/env", arguments, in: directory, environment: environment)
            attempts += 1
            let output = Output(status: result.status, stdout: result.stdoutText, stderr: result.stderrText)
            guard output.status != 0, output.stderr.contains("accurate CPU usage"), attempts < 20 else { return output }
            // QEMU measured no CPU time for its first PBKDF2 round (tick-based accounting while the
            // machine is busy); give the burst a moment to pass before asking again.
            usleep(UInt32(min(attempts, 5)) * 200_000)
        }
    }

    /// Runs a shell command line in `directory`, killed after `seconds`.
    @discardableResult
    public static func shell(_ command: String, in directory: String, seconds: Int = 60) throws -> Output {
        try run(["timeout", String(seconds), "sh", "-c", command], in: directory)
    }

    /// A fresh temporary directory whose name starts with `prefix`.
    public static func temporaryDirectory(_ prefix: String = "qcowscope-test") throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Reads every file of `directory` once. On ext4, extents that qemu-io left unwritten
    /// (fallocated zero ranges) read as holes to SEEK_DATA until their pages are in the page
    /// cache; reading first means qemu-img and qcowscope see the same page-cache state, whichever
    /// runs first.
    public static func settle(_ directory: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            guard let handle = FileHandle(forReadingAtPath: directory + "/" + name) else { continue }
            while let chunk = try? handle.read(upToCount: 1 << 22), !chunk.isEmpty {}
            try? handle.close()
        }
    }
}

extension Tools {
    /// The built `qcowscope` beside the running test bundle (a test target that depends on the
    /// executable gets it built first), or `$QCOWSCOPE_BIN`.
    public static let qcowscope: String? = {
        if let explicit = ProcessInfo.processInfo.environment["QCOWSCOPE_BIN"], !explicit.isEmpty { return explicit }
        var dirs: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            dirs.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        dirs.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        dirs.append(Bundle.main.bundleURL)
        for dir in dirs {
            // The test bundle is either an executable in the build directory or a directory inside it.
            for base in [dir, dir.deletingLastPathComponent()] {
                let candidate = base.appendingPathComponent("qcowscope").path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()
}
