import Analysis
import Explorer
import Testing
import TerminalUI

/// The run loop never computes slow data on the UI thread: through the headless backend, a
/// screen whose data is held back (``ExplorerSession/pauseBackgroundWork()``) draws its notice
/// at once, and the same screen is complete once the work is let through. No sleeps: the pause
/// and ``ExplorerSession/waitForBackgroundWork()`` order everything.
@Suite struct BackgroundWorkTests {
    static let size = Size(width: 100, height: 32)

    /// Runs the loop over `events` from `state` and returns the new state and the last frame.
    static func run(_ session: ExplorerSession, _ state: AppState, _ events: [InputEvent] = []) throws -> (AppState, String) {
        let backend = HeadlessBackend(size: size, events: events)
        let after = ExplorerLoop.run(backend: backend, session: session, theme: .plainText, initial: state)
        return (after, try #require(backend.lastFrame).textDump())
    }

    @Test func snapshotMapShowsAWalkingNoticeThenTheMap() throws {
        let session = try ExplorerFixtures.session("snapshots.qcow2")
        session.pauseBackgroundWork()
        let (state, pending) = try Self.run(session, AppState(view: .snapshots), [.down, .enter])
        #expect(state.drills == [.snapshotGuestMap(0)])
        #expect(pending.contains("Walking the L1/L2 tables of snapshot 1 \"first\""), "\(pending)")
        #expect(pending.contains("walking its tables"))
        #expect(session.snapshot().running[.snapshotMap(0)] != nil)
        #expect(session.snapshot().snapshotMaps.isEmpty)

        session.resumeBackgroundWork()
        session.waitForBackgroundWork()
        let (_, filled) = try Self.run(session, state)
        #expect(filled.contains("Guest snapshot 1 \"first\""), "\(filled)")
        #expect(!filled.contains("Walking"))
        #expect(session.snapshot().running.isEmpty)
    }

    @Test func escBeforeTheWorkStartsDropsIt() throws {
        let session = try ExplorerFixtures.session("snapshots.qcow2")
        session.pauseBackgroundWork()
        let (state, frame) = try Self.run(session, AppState(view: .snapshots), [.down, .enter, .escape])
        #expect(state.drills.isEmpty && frame.contains("● current"))
        session.resumeBackgroundWork()
        session.waitForBackgroundWork()
        // Nobody wanted it when its turn came: not walked, not pending.
        #expect(session.snapshot().snapshotMaps.isEmpty && session.snapshot().running.isEmpty)
        // Opened again, it is walked then.
        var again = state
        ExplorerFixtures.press(session, &again, [.enter])
        #expect(session.snapshot().snapshotMaps[0] != nil)
    }

    @Test func aResultIsKeptAfterEscAndReusedAtOnce() throws {
        let session = try ExplorerFixtures.session("snapshots.qcow2")
        var state = AppState(view: .snapshots)
        ExplorerFixtures.press(session, &state, [.down, .enter, .escape])
        #expect(session.snapshot().snapshotMaps[0] != nil)
        session.pauseBackgroundWork()
        defer { session.resumeBackgroundWork() }
        // Held back or not, nothing is asked for: the map is there on the first frame.
        let (_, frame) = try Self.run(session, state, [.enter])
        #expect(frame.contains("Guest snapshot 1 \"first\""))
        #expect(session.snapshot().running.isEmpty)
    }

    @Test func clusterDrillShowsItsTitleAtOnceThenTheDetails() throws {
        let session = try ExplorerFixtures.session("Demo/demo.qcow2")
        session.pauseBackgroundWork()
        // The active L1 table (cluster 3) from the host map.
        let (state, pending) = try Self.run(session, AppState(view: .host), [.right, .right, .right, .enter])
        #expect(state.drills == [.cluster(3)])
        #expect(pending.contains("Cluster #3 · 0x3000–0x3fff · 4 KiB · "), "\(pending)")
        #expect(pending.contains("Reading cluster #3 and searching the tables"))
        // Keys that need the lines do nothing meanwhile; Esc still goes back.
        var waiting = state
        Explorer.update(&waiting, .enter, session.snapshot(), size: Self.size)
        #expect(waiting.drills == [.cluster(3)])

        session.resumeBackgroundWork()
        session.waitForBackgroundWork()
        let (_, filled) = try Self.run(session, state)
        #expect(filled.contains("Referenced by"))
        // The first line that leads somewhere is selected now that the lines are there: L1 entry 0.
        var after = state
        Explorer.update(&after, .enter, session.snapshot(), size: Self.size)
        #expect(after.drills == [.cluster(3), .cluster(0x14b)])
    }

    @Test func bitmapsViewDecodesInTheBackground() throws {
        // No scan at all: the bitmaps view needs only the directory and the bitmap data.
        let session = try ExplorerSession(path: ExplorerFixtures.path("Demo/demo.qcow2"))
        session.pauseBackgroundWork()
        let (state, pending) = try Self.run(session, AppState(view: .bitmaps))
        #expect(pending.contains("persistent bitmaps in the directory"), "\(pending)")
        #expect(pending.contains("Decoding the bitmaps' dirty extents"))
        session.resumeBackgroundWork()
        session.waitForBackgroundWork()
        let (_, filled) = try Self.run(session, state)
        #expect(filled.contains("dirty in all") && filled.contains("since-install"), "\(filled)")
    }

    @Test func clusterDrillIsRebuiltWhenTheScanFinishes() throws {
        let session = try ExplorerSession(path: ExplorerFixtures.path("Demo/demo.qcow2"))
        var state = AppState(view: .host)
        state.push(.cluster(0))
        session.settle(state)
        let early = try #require(session.snapshot().results.clusterDetails[0])
        #expect(early.role == nil)
        session.scanNow()
        // New results, no drill-down yet: asked for again, now with the scan's role.
        #expect(Explorer.work(state, session.snapshot()) == [.cluster(0)])
        session.settle(state)
        #expect(session.snapshot().results.clusterDetails[0]?.role == .header)
    }

    @Test func keysTypedAheadApplyWhenTheDataArrives() throws {
        // `Enter` `↓` typed while the bitmaps are decoded: kept, then applied in order.
        let session = try ExplorerSession(path: ExplorerFixtures.path("Demo/demo.qcow2"))
        session.pauseBackgroundWork()
        let (state, pending) = try Self.run(session, AppState(view: .bitmaps), [.enter, .down])
        #expect(pending.contains("Decoding"))
        #expect(state.typeAhead == [.enter, .down] && state.drills.isEmpty)
        session.resumeBackgroundWork()
        session.waitForBackgroundWork()
        let (after, filled) = try Self.run(session, state)
        #expect(after.typeAhead.isEmpty && after.drills == [.bitmapExtents(0)] && after.screen.list.selection == 1)
        #expect(filled.contains("Bitmap \"since-install\""), "\(filled)")
    }

    @Test func typeAheadStopsAtTheNextScreenThatWaits() throws {
        // `↓` `Enter` `+`: the snapshot map opens at once, `+` waits for its walk, then zooms.
        let session = try ExplorerFixtures.session("snapshots.qcow2")
        session.pauseBackgroundWork()
        let (state, _) = try Self.run(session, AppState(view: .snapshots), [.down, .enter, .character("+")])
        #expect(state.drills == [.snapshotGuestMap(0)] && state.typeAhead == [.character("+")])
        session.resumeBackgroundWork()
        session.waitForBackgroundWork()
        let (after, _) = try Self.run(session, state)
        #expect(after.typeAhead.isEmpty && after.screen.map.zoom != nil && after[.guest].map.zoom == nil)
    }

    @Test func keysThatLeaveActAtOnceAndDropTheTypeAhead() throws {
        let session = try ExplorerFixtures.session("snapshots.qcow2")
        session.pauseBackgroundWork()
        defer { session.resumeBackgroundWork() }
        let (state, frame) = try Self.run(session, AppState(view: .snapshots), [.down, .enter, .character("+"), .right, .escape])
        #expect(state.drills.isEmpty && state.typeAhead.isEmpty && frame.contains("● current"))
        let (other, _) = try Self.run(session, AppState(view: .snapshots), [.down, .enter, .character("+"), .character("2")])
        #expect(other.view == .host && other.drills.isEmpty && other.typeAhead.isEmpty)
        // The help overlay comes up at once too.
        let (help, helpFrame) = try Self.run(session, AppState(view: .snapshots), [.down, .enter, .character("?")])
        #expect(help.overlay == .help && helpFrame.contains("any key closes"))
    }

    @Test func noticeCountsSecondsFromTheFirstOn() {
        let notice = { (waited: Duration?) in WorkNotice("Walking", waited: waited, then: "", theme: .plainText).text }
        #expect(notice(nil).hasPrefix("Walking…\n"))
        #expect(notice(.milliseconds(400)).hasPrefix("Walking…\n"))
        #expect(notice(.milliseconds(3_200)).hasPrefix("Walking… 3 s\n"))
    }
}
