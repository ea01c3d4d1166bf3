import Foundation
import Analysis
import Reports

/// QEMU's tools as the oracle: images are made with qemu-img/qemu-io in a temporary directory
/// and `qemu-img check` / `measure` answer about them. Tests using it are enabled only when
/// qemu-img is on PATH.
enum QemuOracle {
    static let available: Bool = find("qemu-img") != nil && find("qemu-io") != nil && find("timeout") != nil

    static func find(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a shell command line in `directory`, killed after `seconds`.
    @discardableResult
    static func shell(_ command: String, in directory: String, seconds: Int = 60) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["timeout", String(seconds), "sh", "-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// `qemu-img check --output=json` of `image`: exit status and numeric keys (nil when it
    /// printed no JSON, as when it could not check).
    static func check(_ image: String, in directory: String, openArguments: String? = nil) throws -> (Int32, [String: UInt64]?) {
        let target = openArguments ?? "-f qcow2 '\(image)'"
        let out = try shell("qemu-img check --output=json \(target)", in: directory, seconds: 30)
        guard let data = out.stdout.data(using: .utf8),
              let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return (out.status, nil) }
        return (out.status, numericValues(json))
    }

    /// `qemu-img measure --output=json -O qcow2`'s `required`.
    static func measureRequired(_ image: String, in directory: String, openArguments: String? = nil) throws -> UInt64? {
        let target = openArguments ?? "-f qcow2 '\(image)'"
        let out = try shell("qemu-img measure --output=json -O qcow2 \(target)", in: directory, seconds: 30)
        guard let data = out.stdout.data(using: .utf8),
              let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        return (json["required"] as? NSNumber)?.uint64Value
    }

    /// The hand-damage tool of the fixtures (Tests/Fixtures/qcow2tool.py).
    static var damageTool: String { Fixtures.root + "/qcow2tool.py" }
}
