import Explorer
import TerminalUI
import Testing

/// Esc after Enter restores the whole screen Enter was pressed on — selection, page, scroll,
/// zoom — whatever the screen opened did meanwhile (``AppState/history``).
struct HistoryTests {
    static let size = Size(width: 100, height: 32)

    @Test func clusterToL2TableAndBack() throws {
        let session = try ExplorerFixtures.session("Demo/demo.qcow2")
        var state = AppState(view: .host)
        func press(_ events: InputEvent...) { ExplorerFixtures.press(session, &state, events, size: Self.size) }
        press(.right, .right, .right, .enter)                     // the active L1 table
        press(.down, .up)                                         // its first entry, chosen by a key
        let l1 = state
        #expect(state.drills == [.cluster(3)] && !state.screen.selectionIsInitial)
        press(.enter)                                             // the L2 table it points at
        #expect(state.drills == [.cluster(3), .cluster(0x14b)])
        press(.down, .down, .pageDown, .character("x"))          // move and flip to hex in the child
        #expect(state.screen.page == 1)
        press(.escape)
        #expect(state.navigation == l1.navigation, "the L1 drill-down is back as it was")
        #expect(state.screen.page == 0 && state.screen.list == l1.screen.list)
        press(.escape)
        #expect(state.drills.isEmpty && state.view == .host && state[.host].map.cursor == 3)
        press(.escape)
        #expect(state.drills.isEmpty && state.view == .host, "Esc at a view opened by its key does nothing")
    }

    @Test func snapshotToGuestMapAndBack() throws {
        let session = try ExplorerFixtures.session("snapshots.qcow2")
        var state = AppState(view: .guest)
        func press(_ events: InputEvent...) { ExplorerFixtures.press(session, &state, events, size: Self.size) }
        press(.character("+"), .right)                            // the current disk's map, moved
        let guestMap = state[.guest].map
        press(.character("5"), .down)
        let snapshots = state
        press(.enter)
        #expect(state.drills == [.snapshotGuestMap(0)])
        #expect(state.screen.map == guestMap, "the snapshot's map opens where the current map was")
        press(.character("+"), .right, .right, .character("c"))
        #expect(state.screen.map != guestMap)
        press(.escape)
        #expect(state.navigation == snapshots.navigation)
        #expect(state[.guest].map == guestMap, "moving in the snapshot's map left the current map alone")
    }

    @Test func findingToHostMapAndBack() throws {
        let session = try ExplorerFixtures.session("corrupt-leak.qcow2")
        var state = AppState(view: .check)
        func press(_ events: InputEvent...) { ExplorerFixtures.press(session, &state, events, size: Self.size) }
        press(.down, .down)
        let check = state
        press(.character("m"))                                    // the finding in the host map
        #expect(state.view == .host)
        press(.right)
        press(.escape)
        #expect(state.navigation == check.navigation, "back on the same finding")
        press(.character("d"))                                    // the finding's cluster
        #expect(state.drills.count == 1)
        press(.escape)
        #expect(state.navigation == check.navigation)
    }

    @Test func numberKeysAndTabLeaveNoWayBack() throws {
        let session = try ExplorerFixtures.session("Demo/demo.qcow2")
        var state = AppState(view: .host)
        ExplorerFixtures.press(session, &state, [.enter, .character("7"), .escape], size: Self.size)
        #expect(state.view == .check && state.history.isEmpty)
    }

    @Test func historyIsBounded() {
        var state = AppState(view: .host)
        for c in 0..<1000 { state.push(.cluster(UInt64(c))) }
        #expect(state.history.count <= 64 && state.drills.last == .cluster(999))
    }
}
