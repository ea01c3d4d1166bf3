import Explorer
import Testing
import TerminalUI
import TerminalUITesting

/// Issue 16: keys that behave the same everywhere — `g` where there are positions (`#N`,
/// `host X`, `guest X`), Enter opens what is selected (Check and Header included), Tab switches
/// views from anywhere, `x` flips a cluster's pages, `n`/`N` step through host jumps, the cursor
/// never rests on a heading, backing files open from the chain, long messages are read whole.
@Suite struct KeysTests {
    static let size = Size(width: 100, height: 32)

    static func run(_ name: String = "Demo/demo.qcow2", view: ViewID, _ events: [InputEvent]) throws -> (AppState, ExplorerData) {
        try ExplorerFixtures.run(name, view: view, events, size: size)
    }

    static func goTo(_ text: String) -> [InputEvent] { [.character("g")] + InputEvent.typing(text) + [.enter] }

    static func statusBar(_ state: AppState, _ data: ExplorerData) -> String {
        let text = Explorer.render(state, data, size: Size(width: 160, height: 32), theme: .plainText).textDump()
        return String(text.split(separator: "\n").last ?? "")
    }

    /// `g` is offered where there are positions, not in the snapshot list; there a bare offset is
    /// refused (and what was typed stays in the prompt), `host X` / `guest X` switch views, and
    /// `#N` is a cluster number everywhere.
    @Test func goToWhereItApplies() throws {
        let (layout, data) = try Self.run(view: .host, [])
        #expect(Self.statusBar(layout, data).contains("g go to"))
        let (snapshots, _) = try Self.run(view: .snapshots, [])
        #expect(!Self.statusBar(snapshots, data).contains("g go to"))
        let (refused, _) = try Self.run(view: .snapshots, Self.goTo("0x30000"))
        #expect(refused.view == .snapshots && refused.message?.contains("no positions") == true)
        let (hostJump, _) = try Self.run(view: .snapshots, Self.goTo("host #3"))
        #expect(hostJump.view == .host && hostJump[.host].map.cursor == 3)
        let (guestJump, _) = try Self.run(view: .bitmaps, Self.goTo("guest 1M"))
        #expect(guestJump.view == .guest && guestJump[.guest].map.cursor == (1 << 20) / data.clusterSize)
        let (back, _) = try Self.run(view: .bitmaps, Self.goTo("guest 1M") + [.escape])
        #expect(back.view == .bitmaps)
        let (guestNumber, _) = try Self.run(view: .guest, Self.goTo("#100"))
        #expect(guestNumber[.guest].map.cursor == 100)
        // Typed while the prompt is up, "3" is text, never the view key.
        let (typed, _) = try Self.run(view: .snapshots, [.character("g"), .character("3"), .escape])
        #expect(typed.view == .snapshots && typed.overlay == .none)
    }

    /// Check: Enter opens the selected finding's cluster, `m` shows it in the layout; the detail
    /// pane holds the whole message.
    @Test func checkEnterOpensTheFindingsCluster() throws {
        let (state, _) = try Self.run("corrupt-l2-shared.qcow2", view: .check, [.down, .enter])
        #expect(state.drills == [.cluster(6)])
        let (shown, _) = try Self.run("corrupt-l2-shared.qcow2", view: .check, [.down, .character("m")])
        #expect(shown.view == .host && shown[.host].map.cursor == 6)
        let text = try ExplorerFixtures.frame("corrupt-l2-shared.qcow2", view: .check, events: [.down, .down, .down, .down, .down],
                                              size: Size(width: 70, height: 30)).textDump()
        #expect(text.contains("duplicate-reference at 0x40018, cluster #4: cluster 5 (0x50000) is"))
        #expect(text.contains("referenced by two L2 entries of the same L1 table"))
    }

    /// Header: the cursor skips headings and blank lines; Enter on l1_table_offset opens the L1
    /// table's cluster; on a field without an offset it says so.
    @Test func headerEnterOpensOffsets() throws {
        let (first, data) = try Self.run(view: .header, [.down])
        let model = HeaderViewModel(data: data)
        #expect(model.isSelectable(first.screen.list.selection))
        #expect(first.screen.list.selection == 2, "row 0 is the heading 'Image', row 1 the first field")
        var rows = 0
        var state = AppState(view: .header)
        let session = try ExplorerFixtures.session("Demo/demo.qcow2")
        ExplorerFixtures.press(session, &state, [.down], size: Self.size)
        while rows < model.rows.count, case .field(_, let name, _, _) = model.rows[state.screen.list.selection], name != "l1_table_offset" {
            ExplorerFixtures.press(session, &state, [.down], size: Self.size)
            #expect(model.isSelectable(state.screen.list.selection))
            rows += 1
        }
        ExplorerFixtures.press(session, &state, [.enter], size: Self.size)
        #expect(state.drills == [.cluster(3)])
        let (plain, _) = try Self.run(view: .header, [.down, .enter])
        #expect(plain.drills.isEmpty && plain.message?.contains("does not point") == true)
    }

    /// Tab switches views from a drill-down too; `x` flips the cluster's hex / decoded pages.
    @Test func tabSwitchesViewsEverywhere() throws {
        let (flipped, _) = try Self.run(view: .host, [.enter, .character("x")])
        #expect(flipped.drills == [.cluster(0)] && flipped.screen.page == 1)
        let (tabbed, _) = try Self.run(view: .host, [.enter, .tab])
        #expect(tabbed.drills.isEmpty && tabbed.view == .guest)
        let (back, _) = try Self.run(view: .snapshots, [.down, .enter, .backTab])
        #expect(back.drills.isEmpty && back.view == .refcounts)
    }

    /// With the host jumps shown (`f`), `n` / `N` step through them in guest order.
    @Test func nStepsThroughHostJumps() throws {
        let (state, data) = try Self.run(view: .guest, [.character("f"), .character("n")])
        let jumps = try #require(data.results.guestOverview?.jumps.positions)
        #expect(state[.guest].map.cursor == jumps[0])
        let (second, _) = try Self.run(view: .guest, [.character("f"), .character("n"), .character("n")])
        #expect(second[.guest].map.cursor == jumps[1])
        let (last, _) = try Self.run(view: .guest, [.character("f"), .character("N")])
        #expect(last[.guest].map.cursor == jumps[jumps.count - 1])
        let (hidden, _) = try Self.run(view: .guest, [.character("n")])
        #expect(hidden[.guest].map.cursor == 0 && hidden.message?.contains("with f") == true)
    }

    /// chain-top.qcow2: Enter on the chain's depth-1 row (header) or the trunk (snapshots) opens
    /// chain-mid.qcow2's header; from there its own backing file; Esc walks back to the top image.
    @Test func backingFilesOpenFromTheChain() throws {
        let (state, data) = try Self.run("chain-top.qcow2", view: .snapshots, [.down, .enter])
        #expect(state.drills == [.chainLayer(1)])
        let text = Explorer.render(state, data, size: Self.size, theme: .plainText).textDump()
        #expect(text.contains("Backing file at depth 1: Tests/Fixtures/images/chain-mid.qcow2 (qcow2)"))
        #expect(text.contains("backing_file_offset"))
        let (back, _) = try Self.run("chain-top.qcow2", view: .snapshots, [.down, .enter, .escape])
        #expect(back.drills.isEmpty && back.view == .snapshots)
        let (raw, rawData) = try Self.run("chain-top.qcow2", view: .snapshots, [.enter])
        #expect(raw.drills == [.chainLayer(2)])
        #expect(Explorer.render(raw, rawData, size: Self.size, theme: .plainText).textDump().contains("A raw file"))
    }

    /// A message longer than the status bar is shown whole above it.
    @Test func longMessagesAreShownWhole() throws {
        var (state, data) = try Self.run(view: .host, [])
        state.message = String(repeating: "word ", count: 30) + "end-of-message"
        let text = Explorer.render(state, data, size: Size(width: 60, height: 20), theme: .plainText).textDump()
        #expect(text.contains("end-of-message"))
    }

    /// In a cluster drill-down the cursor never rests on a heading or a blank line.
    @Test func drillCursorSkipsHeadingsAndBlanks() throws {
        let session = try ExplorerFixtures.session("Demo/demo.qcow2")
        var state = AppState(view: .host)
        ExplorerFixtures.press(session, &state, [.right, .right, .right, .enter], size: Self.size)
        let model = try #require(session.snapshot().results.clusterDetails[3])
        let lines = model.lines(.decoded)
        for key in [InputEvent.up, .up, .up, .up, .up, .up, .up, .down, .down, .down, .down, .down, .down, .down, .down] {
            ExplorerFixtures.press(session, &state, [key], size: Self.size)
            let i = state.screen.list.selection
            if lines.indices.contains(i) {
                #expect(!lines[i].text.isEmpty && lines[i].tone != .section, "row \(i): \(lines[i].text)")
            }
        }
    }
}
