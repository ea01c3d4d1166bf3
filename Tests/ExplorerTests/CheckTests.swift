import Analysis
import Qcow2
import Explorer
import Testing
import TerminalUI
import TerminalUITesting

@Suite struct CheckTests {
    static let size = Size(width: 100, height: 32)

    static func run(_ name: String, _ events: [InputEvent]) throws -> (AppState, ExplorerData) {
        try ExplorerFixtures.run(name, view: .check, events, size: size)
    }

    @Test(arguments: [("v3.qcow2", "clean"), ("corrupt-leak.qcow2", "leak"), ("corrupt-l2-shared.qcow2", "corruption")])
    func summaryLine(name: String, word: String) throws {
        let (_, data) = try Self.run(name, [])
        let line = CheckSummary.line(try #require(data.analysis))
        #expect(line.contains(word))
    }

    @Test(arguments: ["corrupt-leak.qcow2", "corrupt-l2-shared.qcow2", "corrupt-flag.qcow2", "Demo/demo.qcow2"])
    func groupsCountEveryKindInOrder(name: String) throws {
        let (_, data) = try Self.run(name, [])
        let analysis = try #require(data.analysis)
        let model = CheckViewModel(analysis: analysis, filename: name)
        var kinds: [Finding.Kind] = []
        var current: Finding.Kind?
        for row in model.rows {
            switch row {
            case .group(let kind, let count, _, let shown):
                #expect(count == analysis.findings.count(of: kind))
                #expect(shown == analysis.findings.samples.filter { $0.kind == kind }.count)
                kinds.append(kind)
                current = kind
            case .finding(let f): #expect(f.kind == current)
            case .note: break
            }
        }
        let all = Finding.Kind.allCases
        #expect(kinds == all.filter { analysis.findings.count(of: $0) > 0 })
    }

    @Test func leakFrame() throws {
        Golden.check(try ExplorerFixtures.frame("corrupt-leak.qcow2", view: .check), named: "check-corrupt-leak")
    }

    @Test func sharedL2Frame() throws {
        Golden.check(try ExplorerFixtures.frame("corrupt-l2-shared.qcow2", view: .check), named: "check-corrupt-l2-shared")
    }

    @Test func cleanFrameSaysSo() throws {
        let text = try ExplorerFixtures.frame("v3.qcow2", view: .check).textDump()
        #expect(text.contains("Check: clean") && text.contains("No errors were found on the image."))
    }

    @Test func mShowsTheClusterInTheLayout() throws {
        let (state, data) = try Self.run("corrupt-leak.qcow2", [.down, .character("m")])
        let analysis = try #require(data.analysis)
        let leaked = try #require(analysis.findings.sortedSamples.first?.cluster)
        #expect(state.view == .host)
        #expect(state[.host].map.cursor == leaked)
        let model = HostMapViewModel(state: state[.host].map, data: data, body: Explorer.body(of: Self.size, scanning: false))
        #expect(model.viewport.cell(containing: leaked) != nil)
    }

    @Test func jumpKeepsAZoomedHostMapOnTheCluster() throws {
        let session = try ExplorerFixtures.session("Demo/demo-leaky.qcow2")
        let data = session.snapshot()
        var state = AppState(view: .host)
        for e in [InputEvent.character("+"), .character("+"), .character("+"), .character("7"), .down, .character("m")] {
            Explorer.update(&state, e, data, size: Self.size)
        }
        #expect(state.view == .host)
        let model = HostMapViewModel(state: state[.host].map, data: data, body: Explorer.body(of: Self.size, scanning: false))
        #expect(model.viewport.cell(containing: state[.host].map.cursor) != nil)
        #expect(state[.host].map.zoom != nil)
    }

    @Test func dOpensTheClusterDrill() throws {
        let (state, data) = try Self.run("corrupt-leak.qcow2", [.down, .character("d")])
        let leaked = try #require(data.analysis?.findings.sortedSamples.first?.cluster)
        #expect(state.drills == [.cluster(leaked)])
    }

    @Test func goToSelectsTheFirstFindingAtOrAfter() throws {
        let (state, data) = try Self.run("corrupt-l2-shared.qcow2", [.character("g")] + InputEvent.typing("0x50000") + [.enter])
        let model = CheckViewModel(analysis: try #require(data.analysis), filename: "x")
        guard case .finding(let f) = model.rows[state[.check].list.selection] else { Issue.record("not a finding"); return }
        #expect(f.offset == 0x50000)
        let (none, _) = try Self.run("corrupt-l2-shared.qcow2", [.character("g")] + InputEvent.typing("1G") + [.enter])
        #expect(none.message?.contains("no finding") == true)
    }
}
