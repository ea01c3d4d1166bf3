import Foundation
import TestSupport
import Testing

/// `qcowscope survey DIR` at a real terminal (tmux): the table appears with every fixture, sorts
/// and filters by key, Enter opens the explorer on the selected image, Esc comes back to the same
/// table, and q quits with status 0. The fixtures are read in place and must not change.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && TmuxSession.binary != nil, "needs tmux and the built binary"))
struct SurveySessionTests {
    static let fixtures = ExplorerSessionTests.root.appendingPathComponent("Tests/Fixtures/images")

    @Test func sortFilterExploreAndBack() throws {
        let binary = try #require(TmuxSession.binary)
        let files = try FileManager.default.contentsOfDirectory(at: Self.fixtures, includingPropertiesForKeys: nil)
        let before = Fingerprint.take(files)
        let scratch = URL(fileURLWithPath: try Tools.temporaryDirectory("qcowscope-e2e-survey"))
        defer { try? FileManager.default.removeItem(at: scratch) }
        let tmux = try TmuxSession(command: [binary, "survey", Self.fixtures.path], width: 120, height: 40, directory: scratch)

        let table = try tmux.waitFor("31 images", "c2m.qcow2", "q quit")
        #expect(table.contains("Compacting all would save"), "\(table)")
        #expect(table.contains("4 SAVING"), "\(table)")

        try tmux.send("6")
        let byErrors = try tmux.waitFor("6 ERRORS↓")
        let firstRow = byErrors.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(4).first.map(String.init) ?? ""
        #expect(firstRow.hasPrefix("lazy-dirty.qcow2"), "most errors first: \(byErrors)")

        try tmux.send("/", "c", "h", "a", "i", "n", "Enter")
        let filtered = try tmux.waitFor("(2 of 31 shown)")
        #expect(filtered.contains("chain-top.qcow2") && !filtered.contains("c2m.qcow2"), "\(filtered)")

        // The selection stays on its image when the sort changes: chain-top was first by errors (a tie, paths Z to A).
        try tmux.send("1", "Enter")
        let explorer = try tmux.waitFor("Header · chain-top.qcow2")
        #expect(explorer.contains("Header · chain-top.qcow2"), "\(explorer)")
        usleep(120_000)
        try tmux.send("Escape")
        let back = try tmux.waitFor("(2 of 31 shown)", "q quit")
        #expect(back.contains("qcowscope survey"), "\(back)")

        usleep(120_000)
        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
        #expect(Fingerprint.changes(before: before, after: Fingerprint.take(files)).isEmpty)
    }
}
