import Foundation
import TestSupport

/// Runs the built `qcowscope`, the repository's scripts and other programs from the repository root,
/// so fixture paths are relative and the same in every variant of a command line.
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

    struct Missing: Error, CustomStringConvertible {
        var description: String { "qcowscope was not built beside the tests" }
    }

    /// `qcowscope` (the built one, or `binary`) with `arguments`, in the C locale.
    static func run(_ arguments: [String], binary: String? = nil, environment: [String: String] = [:]) throws -> Output {
        guard let program = binary ?? QcowscopeBinary.path else { throw Missing() }
        return try spawn(program, arguments, environment: ["LC_ALL": "C"].merging(environment) { $1 })
    }

    /// A program looked up on PATH, in a UTF-8 locale (man renders the page as users see it).
    static func shell(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        try spawn("/usr/bin/env", arguments, environment: ["LC_ALL": "C.UTF-8"].merging(environment) { $1 })
    }

    /// One of the repository's scripts (scripts/...).
    static func script(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        try shell([root + "/" + path] + arguments, environment: environment)
    }

    private static func spawn(_ program: String, _ arguments: [String], environment extra: [String: String]) throws -> Output {
        let environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        let result = try Subprocess.run(program, arguments, in: root, environment: environment)
        return Output(status: result.status, stdout: result.stdoutText, stderr: result.stderrText)
    }
}
