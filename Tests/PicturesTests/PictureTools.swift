import Foundation
import TestSupport

/// Files and programs the picture tests share: goldens beside the tests, a scratch directory,
/// the built binary, and ImageMagick / python3 as independent readers.
enum PictureTools {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static var recording: Bool { ProcessInfo.processInfo.environment["QCOWSCOPE_RECORD_GOLDEN"] == "1" }

    /// `qcowscope` beside the test bundle (SwiftPM builds it first: the target depends on it).
    static let binary: String? = {
        var dirs: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            dirs.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        dirs.append(Bundle.main.bundleURL)
        for dir in dirs {
            for base in [dir, dir.deletingLastPathComponent()] {
                let path = base.appendingPathComponent("qcowscope").path
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }()

    static func read(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    /// Compares `png`'s decoded pixels with the golden PNG `name` (recording it when asked).
    static func compareWithGolden(_ png: [UInt8], _ name: String) throws -> String? {
        let url = golden.appendingPathComponent(name)
        if recording || !FileManager.default.fileExists(atPath: url.path) {
            try Data(png).write(to: url)
            return recording ? nil : "recorded missing golden \(name)"
        }
        let expected = try PNGReader(read(url.path)), actual = try PNGReader(png)
        guard expected.width == actual.width, expected.height == actual.height else {
            return "\(name): size \(actual.width)x\(actual.height), golden \(expected.width)x\(expected.height)"
        }
        guard expected.pixels != actual.pixels else { return nil }
        let differing = stride(from: 0, to: actual.pixels.count, by: 3).filter {
            actual.pixels[$0..<($0 + 3)] != expected.pixels[$0..<($0 + 3)]
        }
        let first = differing[0] / 3
        return "\(name): \(differing.count) pixels differ, first at (\(first % actual.width), \(first / actual.width)); "
            + "QCOWSCOPE_RECORD_GOLDEN=1 re-records"
    }

    /// Runs a program with arguments, returning status and stdout.
    static func run(_ program: String, _ arguments: [String]) throws -> Subprocess.Output {
        try Subprocess.run(program.hasPrefix("/") ? program : "/usr/bin/env", program.hasPrefix("/") ? arguments : [program] + arguments)
    }
}
