import Analysis
import Explorer
import Qcow2
import TerminalUI
import TerminalUITesting
import Testing

@Suite struct GuestMapTests {
    static let size = Size(width: 100, height: 32)

    static func run(_ name: String, view: ViewID = .guest, _ events: [InputEvent], size: Size = size) throws -> (AppState, ExplorerData) {
        try ExplorerFixtures.run(name, view: view, events, size: size)
    }

    static func model(_ state: AppState, _ data: ExplorerData, size: Size = size) -> GuestMapViewModel {
        GuestMapViewModel(state: state[.guest].map, source: .current(data), body: Explorer.body(of: size, scanning: false))
    }

    @Test func demoGuestFrame() throws {
        Golden.check(try ExplorerFixtures.frame("Demo/demo.qcow2", view: .guest), named: "guest-demo")
    }

    @Test func demoZoomedWithJumpsFrame() throws {
        let frame = try ExplorerFixtures.frame("Demo/demo.qcow2", view: .guest, events: InputEvent.typing("++++f"))
        Golden.check(frame, named: "guest-demo-jumps")
        #expect(frame.textDump().contains("╳"))
    }

    @Test func chainTopShowsBackingDepthsFrame() throws {
        Golden.check(try ExplorerFixtures.frame("chain-top.qcow2", view: .guest), named: "guest-chain-top")
    }

    @Test func extendedL2Frame() throws {
        Golden.check(try ExplorerFixtures.frame("extl2.qcow2", view: .guest, events: InputEvent.typing("c")), named: "guest-extl2-hilbert")
    }

    /// Every guest cluster is counted once by the cells, whatever the zoom.
    @Test(arguments: [nil, 0, 3] as [Int?])
    func cellsCoverTheDiskOnce(zoom: Int?) throws {
        var (state, data) = try Self.run("chain-top.qcow2", [])
        state[.guest].map.zoom = zoom
        let model = Self.model(state, data)
        let total = model.cells.reduce(UInt64(0)) { $0 + $1.counts.total }
        let summary = try #require(data.results.guestSummary)
        if model.viewport.shift == nil || model.viewport.cellCount < model.viewport.capacity {
            #expect(total == summary.clusterCount)
        } else {
            #expect(total <= summary.clusterCount)
        }
    }

    @Test func chainDepthsHaveDistinctShades() throws {
        let (_, data) = try Self.run("chain-top.qcow2", [])
        let totals = try #require(data.results.guestOverview).totals
        #expect(totals.backing.count == 2)
        #expect(totals.backing.allSatisfy { $0 > 0 })
        let theme = Theme()
        let colours = [GuestClusterKind.data, .zero, .unallocated, .compressed, .mixed, .invalid]
            + (1...6).map { GuestClusterKind.backing(depth: $0) }
        #expect(Set(colours.map { theme.color($0) }).count == colours.count)
        #expect(theme.color(.backing(depth: 7)) == theme.color(.backing(depth: 1)))
    }

    @Test func sparseDataStillColoursItsCell() {
        var counts = GuestClusterCounts()
        counts.unallocated = 40
        counts.data = 2
        #expect(counts.shown == .data)
        #expect(counts.dominant == .unallocated)
        #expect(abs(counts.fill - 2.0 / 42) < 1e-9)
        #expect(GuestClusterCounts().shown == .unallocated)
    }

    /// The overlay's jumps are the scan's seeks: same rule (holes skipped), same image.
    @Test(arguments: ["Demo/demo.qcow2", "v3.qcow2", "zlib.qcow2", "extl2.qcow2", "snapshots.qcow2", "c512.qcow2"])
    func jumpsMatchTheScansSeeks(name: String) throws {
        let (_, data) = try Self.run(name, [])
        let jumps = try #require(data.results.guestOverview).jumps
        let analysis = try #require(data.analysis)
        #expect(jumps.total == analysis.fragmentation.seeks)
        #expect(jumps.positions.count == Int(jumps.total))
        #expect(jumps.positions == jumps.positions.sorted())
        #expect(jumps.count(in: 0..<UInt64.max).count == Int(jumps.total))
    }

    @Test func jumpIndexIsBoundedAndSaysSo() throws {
        let data = try ExplorerFixtures.session("Demo/demo.qcow2").snapshot()
        let map = try #require(data.results.guestMap)
        let full = try map.overview().jumps
        let capped = try map.overview(jumpLimit: 10).jumps
        #expect(full.total > 10)
        #expect(capped.total == full.total && capped.positions.count == 10 && capped.isTruncated)
        #expect(capped.positions == Array(full.positions.prefix(10)))
        let tail = capped.positions[9]..<UInt64.max
        #expect(capped.count(in: tail).exact == false)
        #expect(capped.count(in: 0..<capped.positions[9]).exact)
    }

    @Test func enterOpensTheHostClusterQemuMapsTheCursorTo() throws {
        let (_, data) = try Self.run("Demo/demo.qcow2", [])
        let map = try #require(data.results.guestMap)
        let entry = try #require(try map.entries().first { $0.depth == 0 && $0.offset != nil && $0.data })
        let text = "guest \(hex(entry.start))"
        let (state, after) = try Self.run("Demo/demo.qcow2", [.character("g")] + InputEvent.typing(text) + [.enter]
                                            + Array(repeating: .character("+"), count: 12) + [.enter])
        #expect(state[.guest].map.zoom == 0)
        let offset = try #require(entry.offset)
        #expect(state.drills == [.cluster(offset >> UInt64(after.header.clusterBits))])
    }

    @Test func enterOnNothingSaysWhy() throws {
        let (state, data) = try Self.run("chain-top.qcow2", [.end, .enter])
        let model = Self.model(state, data)
        if case .failure = model.drillTarget {
            #expect(state.drills.isEmpty && state.message != nil)
        }
    }

    @Test func goToGuestOffsetAndRefusesHost() throws {
        let (state, data) = try Self.run("Demo/demo.qcow2", [.character("g")] + InputEvent.typing("1M") + [.enter])
        #expect(state[.guest].map.cursor == (1 << 20) / data.clusterSize)
        #expect(state.message == nil)
        // A host offset is the layout's: it switches there, and Esc comes back.
        let (host, _) = try Self.run("Demo/demo.qcow2", [.character("g")] + InputEvent.typing("host 0x30000") + [.enter])
        #expect(host.view == .host && host[.host].map.cursor == 0x30 && host.message == nil)
        let (back, _) = try Self.run("Demo/demo.qcow2", [.character("g")] + InputEvent.typing("host 0x30000") + [.enter, .escape])
        #expect(back.view == .guest)
        let (past, _) = try Self.run("Demo/demo.qcow2", [.character("g")] + InputEvent.typing("1T") + [.enter])
        #expect(past.message?.contains("past the end") == true)
    }

    @Test func overlayToggleAndCurve() throws {
        let (state, _) = try Self.run("Demo/demo.qcow2", InputEvent.typing("fc"))
        #expect(state[.guest].map.showsFragmentation && state[.guest].map.layout == .hilbert)
        let (back, _) = try Self.run("Demo/demo.qcow2", InputEvent.typing("fcfc"))
        #expect(!back[.guest].map.showsFragmentation && back[.guest].map.layout == .linear)
    }

    @Test func clickSelectsTheCellUnderTheMouse() throws {
        let (state, data) = try Self.run("Demo/demo.qcow2", [])
        let model = Self.model(state, data)
        let grid = model.regions.grid
        let click = MouseEvent(x: grid.x + 2 * GuestMapViewModel.columnsPerCell, y: grid.y + 1, kind: .press)
        let (clicked, _) = try Self.run("Demo/demo.qcow2", [.mouse(click)])
        #expect(clicked[.guest].map.cursor == model.viewport.range(ofCell: model.gridSize.width + 2).lowerBound)
    }

    @Test func panelNamesTheBackingFile() throws {
        let (state, data) = try Self.run("chain-top.qcow2", [])
        let info = try #require(Self.model(state, data).cursorInfo)
        #expect(info.counts.total > 0)
        let frame = try ExplorerFixtures.frame("chain-top.qcow2", view: .guest)
        #expect(frame.textDump().contains("chain-mid.qcow2") || frame.textDump().contains("chain-base.raw"))
    }
}
