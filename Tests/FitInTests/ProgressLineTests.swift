import Foundation
import Testing
import TestSupport

/// The progress line appears on a terminal only, and never with --json. `QCOWSCOPE_PROGRESS_AFTER=0`
/// shows it from the first update, so a fixture is long enough; script(1) gives the run a terminal.
@Suite struct ProgressLineTests {
    static let content = ["diff", "--content", "Tests/Fixtures/images/snapshots.qcow2", "--from", "1"]

    @Test func absentWhenStandardErrorIsNotATerminal() throws {
        for arguments in [Self.content, ["check", "Tests/Fixtures/images/v3.qcow2"]] {
            let result = try FitIn.run(arguments, environment: ["QCOWSCOPE_PROGRESS_AFTER": "0"])
            #expect(!result.stderr.contains("\r"))
            #expect(!result.stderr.contains("comparing content") && !result.stderr.contains("scanning"))
        }
    }

    @Test func shownOnATerminalButNotWithJSON() throws {
        guard let binary = QcowscopeBinary.path, Tools.find("script") != nil else { return }
        func onTerminal(_ arguments: [String]) throws -> String {
            let line = ([binary] + arguments).map { "'\($0)'" }.joined(separator: " ") + " >/dev/null"
            return try FitIn.shell(["script", "-qec", line, "/dev/null"], environment: ["QCOWSCOPE_PROGRESS_AFTER": "0"]).stdout
        }
        #expect(try onTerminal(Self.content).contains("comparing content"))
        #expect(try !onTerminal(Self.content + ["--json"]).contains("comparing content"))
        #expect(try !onTerminal(Self.content + ["--output=json"]).contains("comparing content"))
    }
}
