import Explorer
import Testing
import TerminalUI
import TerminalUITesting

@Suite struct HeaderViewTests {
    @Test func demoHeaderFrame() throws {
        let frame = try ExplorerFixtures.frame("Demo/demo.qcow2", view: .header)
        Golden.check(frame, named: "header-demo")
    }

    @Test func headerScrollsToLuksSlots() throws {
        let frame = try ExplorerFixtures.frame("luks.qcow2", view: .header, events: [.end])
        #expect(frame.textDump().contains("key slot 7"))
    }

    @Test func tabCyclesAndNumbersJump() throws {
        let session = try ExplorerFixtures.session("v3.qcow2")
        var state = AppState()
        let size = Size(width: 80, height: 24)
        Explorer.update(&state, .tab, session.snapshot(), size: size)
        #expect(state.view == .host)
        Explorer.update(&state, .backTab, session.snapshot(), size: size)
        Explorer.update(&state, .backTab, session.snapshot(), size: size)
        #expect(state.view == .volumes)
        Explorer.update(&state, .character("5"), session.snapshot(), size: size)
        #expect(state.view == .snapshots)
        Explorer.update(&state, .escape, session.snapshot(), size: size)
        #expect(state.view == .snapshots && !state.shouldQuit)
        Explorer.update(&state, .character("q"), session.snapshot(), size: size)
        #expect(state.shouldQuit)
    }

    @Test func goToPromptRejectsGarbage() throws {
        let session = try ExplorerFixtures.session("v3.qcow2")
        var state = AppState()
        let size = Size(width: 80, height: 24)
        for e in [InputEvent.character("g")] + InputEvent.typing("zz") + [.enter] {
            Explorer.update(&state, e, session.snapshot(), size: size)
        }
        #expect(state.overlay == .none)
        #expect(state.message?.contains("not an offset") == true)
    }

    @Test(arguments: [("0x30000", 0x30000), ("196608", 196608), ("64K", 65536), ("1.5G", 1_610_612_736), ("host 1M", 1 << 20)])
    func offsetExpressions(text: String, value: Int) {
        #expect(OffsetExpression(parsing: text)?.offset == UInt64(value))
    }
}
