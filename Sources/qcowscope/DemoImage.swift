import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// Finds the bundled demo image: `$QCOWSCOPE_DEMO`, then `share/qcowscope/demo.qcow2` beside an
/// installed binary, then `Demo/demo.qcow2` in the source tree this binary was built from.
enum DemoImage {
    static func path() throws -> String {
        var candidates: [String] = []
        if let env = getenv("QCOWSCOPE_DEMO") { candidates.append(String(cString: env)) }
        if let exe = executableDirectory() { candidates.append(exe + "/../share/qcowscope/demo.qcow2") }
        let source = #filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/")
        candidates.append(source + "/Demo/demo.qcow2")
        for path in candidates where access(path, R_OK) == 0 { return path }
        printError("qcowscope: the demo image is not installed (looked in: \(candidates.joined(separator: ", ")))")
        throw ExitCode(1)
    }

    private static func executableDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    }
}
