import Foundation
import TestSupport

/// Runs the built `qcowscope` from the repository root, so fixture paths are relative and the same
/// in every variant of a command line.
enum FitIn {
    /// The repository root, from this file's path (Tests/FitInTests/FitIn.swift).
    static let root: String = {
        let parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        return parts.dropLast(3).joined(separator: "/")
    }()

    struct Output: Equatable {
        var status: Int32
        var stdout: String
        var stderr: String

        /// Same status and standard output (standard error may carry notes).
        func same(as other: Output) -> Bool { status == other.status && stdout == other.stdout }
    }

    static func run(_ arguments: [String], binary: String? = nil, environment extra: [String: String] = [:]) throws -> Output {
        guard let program = binary ?? QcowscopeBinary.path else { throw Missing() }
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        for (key, value) in extra { environment[key] = value }
        let result = try Subprocess.run(program, arguments, in: root, environment: environment)
        return Output(status: result.status, stdout: result.stdoutText, stderr: result.stderrText)
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String { "qcowscope was not built beside the tests" }
    }
}

extension FitIn {
    /// A shell command line run from the repository root, progress shown from the first update.
    static func runShell(_ command: String) throws -> Output {
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        environment["QCOWSCOPE_PROGRESS_AFTER"] = "0"
        let result = try Subprocess.run("/bin/sh", ["-c", command], in: root, environment: environment)
        return Output(status: result.status, stdout: result.stdoutText, stderr: result.stderrText)
    }
}
