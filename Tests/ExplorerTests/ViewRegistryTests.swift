import Explorer
import Foundation
import TerminalUI
import TerminalUITesting
import Testing

/// Every view is one registration (``ViewID/registration``): the keys, the tab bar, the help,
/// `render --view` and the README's table all come from it.
struct ViewRegistryTests {
    @Test func namesTitlesAndKeysAreUniqueAndOpenTheirView() throws {
        let all = ViewID.allCases
        #expect(Set(all.map(\.name)).count == all.count)
        #expect(Set(all.map(\.title)).count == all.count)
        #expect(Set(all.map(\.key)).count == all.count)
        let session = try ExplorerFixtures.session("Demo/demo.qcow2")
        for id in all {
            #expect(ViewID(name: id.name) == id)
            var state = AppState(view: all.last ?? .header)
            ExplorerFixtures.press(session, &state, [.character(id.key)])
            #expect(state.view == id)
            let frame = Explorer.render(state, session.snapshot(), size: Size(width: 120, height: 30), theme: .plainText)
            let rows = frame.textDump().split(separator: "\n", omittingEmptySubsequences: false)
            #expect(rows.first?.contains("\(id.number) \(id.title)") == true, "tab bar: \(rows.first ?? "")")
            #expect(rows.last?.contains("\(id.title) · ") == true, "status bar: \(rows.last ?? "")")
        }
        #expect(ViewID.allCases.map(\.next) == Array(all.dropFirst()) + [all[0]])
        #expect(ViewID.allCases.map(\.previous) == [all[all.count - 1]] + all.dropLast())
    }

    /// The README's table of views is the registry's (rewritten with `QCOWSCOPE_RECORD_GOLDEN=1`).
    @Test func readmeTableIsDerivedFromTheRegistry() throws {
        let url = ExplorerFixtures.root.appendingPathComponent("README.md")
        let readme = try String(contentsOf: url, encoding: .utf8)
        let begin = try #require(readme.range(of: "<!-- views: generated from ViewID.registration"))
        let start = try #require(readme[begin.upperBound...].range(of: "-->\n")).upperBound
        let end = try #require(readme[start...].range(of: "<!-- end views -->")).lowerBound
        let table = ViewID.markdownTable + "\n"
        guard String(readme[start..<end]) != table else { return }
        if ProcessInfo.processInfo.environment[Golden.recordVariable] == "1" {
            try (readme[..<start] + table + readme[end...]).write(to: url, atomically: true, encoding: .utf8)
        } else {
            Issue.record("README.md's table of views differs from the registry; rerun with \(Golden.recordVariable)=1:\n\(table)")
        }
    }
}
