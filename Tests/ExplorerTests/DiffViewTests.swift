#if canImport(Glibc)
import Glibc
#endif
import Analysis
import Formatting
import Explorer
import Testing
import TerminalUI
import TerminalUITesting

/// The snapshots view's diff keys (space, `d`, `D`) and the diff heatmap they open, on the demo
/// image: fresh-install (1) → after-upgrade (3) → current, parents inferred.
@Suite struct DiffViewTests {
    init() {
        setenv("TZ", "UTC", 1)
        tzset()
    }

    /// Down to fresh-install, mark it, down to after-upgrade.
    static let markFirstSelectSecond: [InputEvent] = [.down, .character(" "), .down]

    @Test func spaceMarksASnapshotAndAgainUnmarks() throws {
        let (state, _) = try ExplorerFixtures.run("Demo/demo.qcow2", view: .snapshots, Self.markFirstSelectSecond)
        #expect(state[.snapshots].marked == 0)
        let frame = try ExplorerFixtures.frame("Demo/demo.qcow2", view: .snapshots, events: Self.markFirstSelectSecond)
        Golden.check(frame, named: "snapshots-demo-marked")
        #expect(frame.textDump().contains("• fresh-install"))
        let (again, _) = try ExplorerFixtures.run("Demo/demo.qcow2", view: .snapshots, [.down, .character(" "), .character(" ")])
        #expect(again[.snapshots].marked == nil)
    }

    @Test func dOpensTheDiffFromTheMarkedSnapshot() throws {
        let events = Self.markFirstSelectSecond + [.character("d")]
        let (state, data) = try ExplorerFixtures.run("Demo/demo.qcow2", view: .snapshots, events)
        let pair = DiffPair(from: .snapshot(0), to: .snapshot(1))
        #expect(state.drills == [.diff(pair)])
        let diff = try #require(data.diffs[pair]).get()
        #expect(diff.diff.changedBytes > 0)
        let frame = try ExplorerFixtures.frame("Demo/demo.qcow2", view: .snapshots, events: events)
        Golden.check(frame, named: "diff-demo-marked")
        #expect(frame.textDump().contains("Diff 1 \"fresh-install\" → 3 \"after-upgrade\""))
    }

    @Test func dWithoutAMarkDiffsAgainstTheCurrentState() throws {
        let (state, _) = try ExplorerFixtures.run("Demo/demo.qcow2", view: .snapshots, [.down, .character("d")])
        #expect(state.drills == [.diff(DiffPair(from: .snapshot(0), to: .current))])
        // On the current state with nothing marked: a hint, no diff.
        let (none, _) = try ExplorerFixtures.run("Demo/demo.qcow2", view: .snapshots, [.end, .character("d")])
        #expect(none.drills.isEmpty)
    }

    @Test func capitalDDiffsAgainstTheInferredParent() throws {
        let events: [InputEvent] = [.end, .character("D")]
        let (state, data) = try ExplorerFixtures.run("Demo/demo.qcow2", view: .snapshots, events)
        let parent = try #require(data.analysis?.current.parent)
        #expect(state.drills == [.diff(DiffPair(from: .snapshot(parent), to: .current))])
        Golden.check(try ExplorerFixtures.frame("Demo/demo.qcow2", view: .snapshots, events: events), named: "diff-demo-parent")
    }

    @Test func nStepsThroughChangesAndEnterOpensTheCluster() throws {
        let open: [InputEvent] = [.end, .character("D"), .character("+"), .character("+"), .character("+")]
        let (state, data) = try ExplorerFixtures.run("Demo/demo.qcow2", view: .snapshots, open + [.character("n")])
        let pair = try #require({ if case .drill(.diff(let p)) = state.front { p } else { nil } }())
        let diff = try #require(data.diffs[pair]).get()
        let cursor = state.screen.map.cursor
        let bytes = cursor * data.clusterSize
        // The cursor is on a changed cluster, the first after the cell it started in.
        #expect(diff.extents.contains { $0.start < bytes + data.clusterSize && $0.end > bytes })
        let (back, _) = try ExplorerFixtures.run("Demo/demo.qcow2", view: .snapshots, open + [.character("n"), .character("n"), .character("N")])
        #expect(back.screen.map.cursor == cursor)
        let (drilled, _) = try ExplorerFixtures.run("Demo/demo.qcow2", view: .snapshots, open + [.character("n"), .enter])
        if case .drill(.cluster) = drilled.front {} else { Issue.record("Enter did not open a cluster: \(drilled.front), \(String(describing: drilled.message))") }
    }

    @Test func cComparesContentAndEscLeaves() throws {
        let events: [InputEvent] = [.end, .character("D"), .character("+"), .character("+"), .character("+"), .character("n"), .character("c")]
        let (state, data) = try ExplorerFixtures.run("Demo/demo.qcow2", view: .snapshots, events)
        let pair = try #require({ if case .drill(.diff(let p)) = state.front { p } else { nil } }())
        let content = try #require(data.contentDiffs[pair]).get()
        let metadata = try #require(data.diffs[pair]).get()
        #expect(content.diff.contentCompared)
        // Content refines the metadata diff: same bytes covered, kinds only become rewritten-same.
        #expect(content.diff.changedBytes == metadata.diff.changedBytes)
        let frame = try ExplorerFixtures.frame("Demo/demo.qcow2", view: .snapshots, events: events)
        Golden.check(frame, named: "diff-demo-content")
        #expect(frame.textDump().contains("content compared"))
        var after = state
        Explorer.update(&after, .escape, data, size: Size(width: 100, height: 32))
        #expect(after.drills.isEmpty && after.view == .snapshots)
    }

    @Test func aStoppedComparisonKeepsNothing() throws {
        let session = try ExplorerFixtures.session("Demo/demo.qcow2")
        var state = AppState(view: .snapshots)
        ExplorerFixtures.press(session, &state, [.end, .character("D")])
        session.pauseBackgroundWork()
        session.update(&state, .character("c"), size: Size(width: 100, height: 32))
        // Keys act while the content is compared: nothing is typed ahead, c again stops it.
        session.update(&state, .character("n"), size: Size(width: 100, height: 32))
        #expect(state.typeAhead.isEmpty && state.screen.page == 1)
        session.update(&state, .character("c"), size: Size(width: 100, height: 32))
        #expect(state.screen.page == 0)
        session.resumeBackgroundWork()
        session.waitForBackgroundWork()
        #expect(session.snapshot().contentDiffs.isEmpty)
        #expect(session.snapshot().contentProgress.isStopped)
    }

    @Test func cellCountsComeFromThePrefixSums() throws {
        let (state, data) = try ExplorerFixtures.run("Demo/demo.qcow2", view: .snapshots, [.end, .character("D")])
        let pair = try #require({ if case .drill(.diff(let p)) = state.front { p } else { nil } }())
        let diff = try #require(data.diffs[pair]).get()
        let size = diff.diff.virtualSize
        // Whole disk, halves and odd cuts add up to the extents' bytes.
        #expect(diff.counts(in: 0..<size).changed == diff.diff.changedBytes)
        for cut in [size / 2, 12345, size / 3 + 7] {
            #expect(diff.counts(in: 0..<cut).changed + diff.counts(in: cut..<size).changed == diff.diff.changedBytes)
        }
    }
}

extension DiffViewTests {
    /// The chain rows carry each layer's own and shadowed bytes (``LayerAccounting``), as the
    /// `diff --layers` command reports them.
    @Test func chainRowsShowLayerAccounting() throws {
        let (_, data) = try ExplorerFixtures.run("chain-top.qcow2", view: .snapshots, [])
        let accounting = try #require(data.layerAccounting).get()
        #expect(accounting.rows.filter { $0.kind == .layer }.count == data.chain.layers.count)
        let text = try ExplorerFixtures.frame("chain-top.qcow2", view: .snapshots, events: [.home]).textDump()
        let base = try #require(accounting.rows.first { $0.depth == 2 })
        #expect(text.contains("layer holds   \(Formatted.humanSize(base.ownBytes)) own"))
    }
}

extension DiffViewTests {
    /// The bitmaps view audits each bitmap against its best-matching snapshot, as
    /// `bitmaps --audit` does against a named one: on the demo, backup-daily (cleared after
    /// after-upgrade, then missing writes) matches after-upgrade and misses 308 KiB.
    @Test func bitmapsAreAuditedAgainstTheirBestMatchingSnapshot() throws {
        let (_, data) = try ExplorerFixtures.run("Demo/demo.qcow2", view: .bitmaps, [])
        let audits = try #require(data.bitmapAudits)
        let names = try #require(data.bitmaps).map { $0.bitmap.name.string }
        let dailyIndex = try #require(names.firstIndex(of: "backup-daily"))
        let installIndex = try #require(names.firstIndex(of: "since-install"))
        let daily = try #require(audits[dailyIndex])
        #expect(data.info.snapshots[daily.snapshot].name.string == "after-upgrade")
        #expect(daily.audit.verdict == .missedChanges && daily.audit.missedBytes == 315_392)
        let install = try #require(audits[installIndex])
        #expect(install.audit.verdict == .complete)
        // The missed ranges are drawn over the extents' coverage strip.
        let strip = try ExplorerFixtures.frame("Demo/demo.qcow2", view: .bitmaps, events: Array(repeating: .down, count: dailyIndex) + [.enter])
            .textDump().split(separator: "\n")[2]
        #expect(strip.hasPrefix("coverage") && strip.contains("!"))
    }
}
