#if canImport(Glibc)
import Glibc
#endif
import Analysis
import Explorer
import Testing
import TerminalUI
import TerminalUITesting

@Suite struct SnapshotsTests {
    init() {
        // Snapshot dates are printed in local time, as qemu-img prints them; goldens use UTC.
        setenv("TZ", "UTC", 1)
        tzset()
    }

    static func run(_ name: String, _ events: [InputEvent], view: ViewID = .snapshots) throws -> (AppState, ExplorerData) {
        try ExplorerFixtures.run(name, view: view, events)
    }

    @Test func treeKeepsIndexOrderAndDepth() {
        let tree = SnapshotsTree(parents: [nil, 0, 0, 1, nil])
        #expect(tree.lines.map(\.node) == [0, 1, 3, 2, 4])
        #expect(tree.lines.map(\.depth) == [0, 1, 2, 1, 0])
        let g = ("├─", "└─", "│ ", "  ")
        #expect(tree.lines.map { tree.prefix($0, glyphs: g) } == ["├─", "│ ├─", "│ │ └─", "│ └─", "└─"])
    }

    @Test func badParentsBecomeRoots() {
        // Out of range, negative, self.
        let tree = SnapshotsTree(parents: [7, -1, 2, nil])
        #expect(tree.parents == [nil, nil, nil, nil])
        #expect(tree.lines.count == 4)
    }

    @Test(arguments: [[1, 0] as [Int?], [1, 2, 0], [nil, 2, 3, 1], [1, 2, 3, 4, 5, 3]])
    func loopsAreCutAndEveryNodeShowsOnce(parents: [Int?]) {
        let tree = SnapshotsTree(parents: parents)
        #expect(tree.lines.map(\.node).sorted() == Array(parents.indices))
        // Walking up from any node reaches a root in fewer steps than there are nodes.
        for i in parents.indices {
            var steps = 0
            var p = tree.parents[i]
            while let q = p, steps <= parents.count { p = tree.parents[q]; steps += 1 }
            #expect(steps < parents.count)
        }
    }

    @Test func longLinearHistoryIsLinearAndFolded() {
        let n = 65_536
        let tree = SnapshotsTree(parents: [nil] + (0..<(n - 1)).map { Optional($0) })
        #expect(tree.lines.count == n)
        let last = tree.lines[n - 1]
        #expect(last.depth == n - 1)
        let prefix = tree.prefix(last, glyphs: ("├─", "└─", "│ ", "  "))
        #expect(prefix.hasPrefix("… ") && prefix.count == 2 + 2 * SnapshotsTree.maxGuideLevels + 2)
    }

    @Test func demoTreeFrame() throws {
        Golden.check(try ExplorerFixtures.frame("Demo/demo.qcow2", view: .snapshots), named: "snapshots-demo")
    }

    @Test func chainTrunkFrame() throws {
        let frame = try ExplorerFixtures.frame("chain-top.qcow2", view: .snapshots)
        Golden.check(frame, named: "snapshots-chain-top")
        let text = frame.textDump()
        let base = try #require(text.range(of: "chain-base.raw"))
        let mid = try #require(text.range(of: "chain-mid.qcow2"))
        let top = try #require(text.range(of: "chain-top.qcow2"))
        #expect(text.contains("qcow2 · this image") && text.contains("raw · backing 2"))
        #expect(base.lowerBound < mid.lowerBound && mid.lowerBound < top.lowerBound)
    }

    @Test func sortByExclusiveBytes() throws {
        let (state, data) = try Self.run("Demo/demo.qcow2", [.character("s")])
        #expect(state[.snapshots].sortsBySize)
        let model = SnapshotsViewModel(data: data, order: .exclusiveBytes)
        let sizes = model.rows.compactMap(\.exclusive)
        #expect(sizes == sizes.sorted(by: >))
        #expect(model.rows.count == data.info.snapshots.count + 1)
        #expect(!model.rows.contains { if case .layer = $0.node { true } else { false } })
        Golden.check(try ExplorerFixtures.frame("Demo/demo.qcow2", view: .snapshots, events: [.character("s")]),
                     named: "snapshots-demo-sorted")
    }

    @Test func treeHasEverySnapshotAndTheCurrentState() throws {
        let (_, data) = try Self.run("snapshots.qcow2", [])
        let model = SnapshotsViewModel(data: data, order: .tree)
        let nodes = model.rows.map(\.node)
        #expect(nodes.first == .layer(depth: 0))
        #expect(nodes.filter { $0 == .current }.count == 1)
        #expect(Set(nodes.compactMap { if case .snapshot(let i) = $0 { i } else { nil } }) == Set(data.info.snapshots.indices))
        #expect(model.maxExclusive == model.rows.compactMap(\.exclusive).max())
    }

    @Test func enterOpensTheSnapshotsGuestMapAndEscReturns() throws {
        let (state, data) = try Self.run("snapshots.qcow2", [.down, .enter])
        #expect(state.drills == [.snapshotGuestMap(0)])
        let source = try #require(GuestMapSource.snapshot(0, data)).get()
        let current = try #require(GuestMapSource.current(data))
        // The first snapshot differs from the current disk (the fixture writes after it).
        #expect(source.overview.totals != current.overview.totals || source.summary.starts != current.summary.starts)
        let frame = try ExplorerFixtures.frame("snapshots.qcow2", view: .snapshots, events: [.down, .enter])
        Golden.check(frame, named: "snapshots-guest-map")
        #expect(frame.textDump().contains("Guest snapshot"))
        var after = state
        Explorer.update(&after, .escape, data, size: Size(width: 100, height: 32))
        #expect(after.drills.isEmpty && after.view == .snapshots)
    }

    @Test func enterOnCurrentStateOpensTheGuestView() throws {
        let (state, _) = try Self.run("snapshots.qcow2", [.end, .enter])
        #expect(state.view == .guest && state.drills.isEmpty)
    }
}
