import Foundation
import Testing
import TestSupport

/// A mistyped command is named as one, with the nearest command, instead of being opened as a file.
@Suite struct CommandSuggestionTests {
    private func run(_ arguments: [String]) throws -> Subprocess.Output {
        let binary = try #require(Paths.binary, "qcowscope not built")
        return try Subprocess.run(binary, arguments, in: Paths.root.path)
    }

    @Test func aNearCommandIsSuggested() throws {
        let result = try run(["snapshot", "Tests/Fixtures/images/v3.qcow2"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(String(decoding: result.stderr, as: UTF8.self).contains("did you mean 'snapshots'?"))
        let typo = try run(["chek", "Tests/Fixtures/images/v3.qcow2"])
        #expect(String(decoding: typo.stderr, as: UTF8.self).contains("did you mean 'check'?"))
    }

    @Test func helpForAnUnknownCommandFailsWithTheList() throws {
        let result = try run(["help", "bogus"])
        #expect(result.status != 0)
        let text = String(decoding: result.stderr, as: UTF8.self)
        #expect(text.contains("no command 'bogus'"))
        #expect(text.contains("check") && text.contains("snapshots") && text.contains("info"))
        #expect(try run(["help", "check"]).status == 0)
    }

    @Test func anImagePathIsStillAnImage() throws {
        // A file whose name looks like a command's is opened, not corrected.
        let result = try run(["info", "Tests/Fixtures/images/v3.qcow2"])
        #expect(result.status == 0)
    }
}
