import Analysis
import Explorer
import Testing
import TerminalUI
import TerminalUITesting

@Suite struct HostMapTests {
    static let size = Size(width: 100, height: 32)

    static func counts(_ pairs: [(ClusterRole, UInt64)]) -> RoleCounts {
        var c = [UInt64](repeating: 0, count: ClusterRole.allCases.count)
        for (role, n) in pairs { c[Int(role.rawValue)] = n }
        return RoleCounts(c)
    }

    /// Runs `events` on `view` and returns the state (scan finished first).
    static func run(_ name: String, view: ViewID = .host, _ events: [InputEvent], size: Size = size) throws -> (AppState, ExplorerData) {
        try ExplorerFixtures.run(name, view: view, events, size: size)
    }

    static func model(_ state: AppState, _ data: ExplorerData, size: Size = size) -> HostMapViewModel {
        HostMapViewModel(state: state[.host].map, data: data, body: Explorer.body(of: size, scanning: false))
    }

    @Test func problemsDominateTheirCell() {
        #expect(Self.counts([(.data, 100), (.leaked, 1)]).dominant == .leaked)
        #expect(Self.counts([(.data, 100), (.leaked, 5), (.conflict, 1)]).dominant == .conflict)
        #expect(Self.counts([(.free, 9), (.l2, 1)]).dominant == .l2)
        #expect(Self.counts([(.data, 3), (.l2, 3)]).dominant == .l2)
        #expect(Self.counts([(.free, 4)]).dominant == .free)
        #expect(Self.counts([(.free, 3), (.data, 1)]).fill == 0.25)
    }

    @Test func chunkedCountsMatchCountingEveryCluster() throws {
        let data = try ExplorerFixtures.session("Demo/demo.qcow2").snapshot()
        let summary = try #require(data.results.hostMap)
        let analysis = try #require(data.analysis)
        #expect(summary.clusterCount == analysis.clusters.count)
        for range in [0..<415, 3..<300, 255..<513, 256..<512, 7..<8, 100..<100] as [Range<Int>] {
            var direct = [UInt64](repeating: 0, count: ClusterRole.allCases.count)
            for c in range where c < analysis.clusters.count { direct[Int(analysis.role(ofCluster: c).rawValue)] += 1 }
            #expect(summary.counts(in: UInt64(range.lowerBound)..<UInt64(range.upperBound)).counts == direct, "\(range)")
        }
        #expect(summary.totals.total == UInt64(analysis.clusters.count))
    }

    @Test func demoFitsOneClusterPerCellAndZoomsByPowersOfTwo() throws {
        let (state, data) = try Self.run("Demo/demo.qcow2", [])
        #expect(Self.model(state, data).viewport.clustersPerCell == 1)
        // A small terminal cannot show 415 cells: the fit is the smallest power of two that
        // shows them all (round row offsets), + halves it.
        let small = Size(width: 30, height: 10)
        let fit = Self.model(state, data, size: small)
        let shift = try #require(fit.viewport.shift)
        let cells = UInt64(fit.viewport.capacity)
        #expect((cells << UInt64(shift)) >= 415 && (cells << UInt64(shift - 1)) < 415)
        #expect(fit.zoomText == "\(1 << shift) clusters/cell (fit)")
        let (zoomed, _) = try Self.run("Demo/demo.qcow2", [.character("+")], size: small)
        let z = try #require(zoomed[.host].map.zoom)
        let capacity = UInt64(Self.model(zoomed, data, size: small).viewport.capacity)
        #expect((capacity << UInt64(z)) < 415 && (capacity << UInt64(z + 1)) >= 415)
        let (finer, _) = try Self.run("Demo/demo.qcow2", [.character("+"), .character("+")], size: small)
        #expect(finer[.host].map.zoom == z - 1)
        let (back, _) = try Self.run("Demo/demo.qcow2", [.character("+"), .character("-")], size: small)
        #expect(back[.host].map.zoom == nil)
        let (fitAgain, _) = try Self.run("Demo/demo.qcow2", [.character("+"), .character("+"), .character("0")], size: small)
        #expect(fitAgain[.host].map.zoom == nil)
    }

    @Test func cursorMovesByCellsAndRows() throws {
        let (state, data) = try Self.run("Demo/demo.qcow2", [.right, .right, .down])
        let width = UInt64(Self.model(state, data).gridSize.width)
        #expect(state[.host].map.cursor == 2 + width)
        let (end, _) = try Self.run("Demo/demo.qcow2", [.end])
        #expect(end[.host].map.cursor == 414)
        let (home, _) = try Self.run("Demo/demo.qcow2", [.end, .home])
        #expect(home[.host].map.cursor == 0)
    }

    @Test func hilbertCursorMovesInSpace() throws {
        let (state, data) = try Self.run("Demo/demo.qcow2", [.character("c"), .right, .right, .down])
        #expect(state[.host].map.layout == .hilbert)
        let model = Self.model(state, data)
        let cell = try #require(model.cursorCell)
        let p = try #require(HeatmapLayout.hilbert.position(of: cell, in: model.gridSize))
        #expect(p == Point(x: 2, y: 1))
        // And a click lands on the cluster drawn there.
        let grid = model.regions.grid
        let click = InputEvent.mouse(MouseEvent(x: grid.x + 2 * 5, y: grid.y + 3, kind: .press))
        var s = state
        Explorer.update(&s, click, data, size: Self.size)
        let expected = try #require(HeatmapLayout.hilbert.index(at: Point(x: 5, y: 3), in: model.gridSize))
        #expect(s[.host].map.cursor == UInt64(expected))
    }

    @Test func enterOpensTheClusterAndEscReturns() throws {
        let (state, _) = try Self.run("Demo/demo.qcow2", [.right, .right, .right, .enter])
        #expect(state.drills == [.cluster(3)])
        let (back, _) = try Self.run("Demo/demo.qcow2", [.right, .enter, .escape])
        #expect(back.drills.isEmpty && back.view == .host && back[.host].map.cursor == 1)
    }

    @Test func goToTakesHostOffsets() throws {
        let (state, _) = try Self.run("Demo/demo.qcow2", [.character("g")] + InputEvent.typing("0x30000") + [.enter])
        #expect(state[.host].map.cursor == 0x30)
        #expect(state.message == nil)
        let (guest, data) = try Self.run("Demo/demo.qcow2", [.character("g")] + InputEvent.typing("guest 1M") + [.enter])
        #expect(guest.view == .guest && guest[.guest].map.cursor == (1 << 20) / data.clusterSize)
        let (number, _) = try Self.run("Demo/demo.qcow2", [.character("g")] + InputEvent.typing("#42") + [.enter])
        #expect(number[.host].map.cursor == 42 && number.message == nil)
        let (far, _) = try Self.run("Demo/demo.qcow2", [.character("g")] + InputEvent.typing("1G") + [.enter])
        #expect(far.message?.contains("past the end") == true)
    }

    @Test func leakedClusterShowsAndNextProblemFindsIt() throws {
        let (state, data) = try Self.run("corrupt-leak.qcow2", [.character("n")])
        let analysis = try #require(data.analysis)
        #expect(analysis.role(ofCluster: Int(state[.host].map.cursor)) == .leaked)
        let frame = try ExplorerFixtures.frame("corrupt-leak.qcow2", view: .host)
        #expect(frame.textDump().contains("??"))
        #expect(frame.textDump().contains("? leaked 1"))
        let (clean, _) = try Self.run("v3.qcow2", [.character("n")])
        #expect(clean.message?.contains("no corrupted, conflicting or leaked") == true)
    }

    /// corrupt-l2-shared.qcow2: cluster 5 is referenced twice with refcount 1 (corrupt), cluster 6
    /// leaked. The corruption is marked `X`, named in the legend, and is the first stop of `n`
    /// and `N`; then the leak; then around again.
    @Test func corruptionIsMarkedAndVisitedFirst() throws {
        let n = InputEvent.character("n"), back = InputEvent.character("N")
        func cursor(_ keys: [InputEvent]) throws -> UInt64 { try Self.run("corrupt-l2-shared.qcow2", keys).0[.host].map.cursor }
        #expect(try cursor([n]) == 5)
        #expect(try cursor([back]) == 5)
        #expect(try cursor([n, n]) == 6)
        #expect(try cursor([n, n, n]) == 5)
        #expect(try cursor([n, n, back]) == 5)
        #expect(try ExplorerFixtures.frame("corrupt-l2-shared.qcow2", view: .host).textDump().contains("TTXX??"))
        let text = try ExplorerFixtures.frame("corrupt-l2-shared.qcow2", view: .host, events: [n]).textDump()
        #expect(text.contains("X corrupt 1"))
        #expect(text.contains("corrupt (Check view)"))
    }

    /// The panel names owners by snapshot ID and name (the demo's snapshots are IDs 1 and 3, at
    /// table indices 0 and 1), never by table index.
    @Test func ownersAreNamedBySnapshotID() throws {
        let session = try ExplorerFixtures.session("Demo/demo.qcow2")
        let analysis = try #require(session.snapshot().analysis)
        let shared = try #require((0..<analysis.clusters.count).first { c in
            analysis.owners(ofCluster: c).map { $0.snapshots == [0, 1] && $0.current } ?? false
        })
        let goTo = [InputEvent.character("g")] + InputEvent.typing(String(UInt64(shared) << 16)) + [.enter]
        let text = try ExplorerFixtures.frame("Demo/demo.qcow2", view: .host, events: goTo, size: Size(width: 120, height: 40)).textDump()
        #expect(text.contains("owners   1 \"fresh-install\""))
        #expect(text.contains("3 \"after-upgrade\""))
        #expect(text.contains("current"))
        #expect(!text.contains("snapshots 0"))
    }

    /// Without colour every role present has its own mark on the map and in the legend (and
    /// ASCII ones with --ascii): metadata capitals, snapshot lower case, data blocks, free dots.
    @Test(arguments: [GlyphSet.unicode, GlyphSet.ascii])
    func monochromeRolesHaveDistinctMarks(glyphs: GlyphSet) throws {
        let (state, data) = try Self.run("snapshots.qcow2", [])
        let screen = Explorer.render(state, data, size: Self.size, theme: Theme(glyphs: glyphs, colorMode: .none))
        let lines = screen.textDump().split(separator: "\n").map(String.init)
        let legend = lines.suffix(3).prefix(2).joined(separator: "  ")
        let tokens = legend.split(separator: " ").map(String.init)
        let swatches = tokens.filter { $0.count == 1 && Int($0) == nil }
        #expect(swatches.count >= 12)
        #expect(Set(swatches).count == swatches.count)
        #expect(lines[2].contains("RRCCLLtt"))
        let isASCII = screen.textDump().allSatisfy { $0.isASCII }
        if glyphs == .ascii { #expect(isASCII) }
    }

    @Test func goldens() throws {
        Golden.check(try ExplorerFixtures.frame("Demo/demo.qcow2", view: .host, events: [.right, .right, .right]), named: "host-demo", styles: true)
        Golden.check(try ExplorerFixtures.frame("Demo/demo.qcow2", view: .host, events: [.character("c")]), named: "host-demo-hilbert")
        Golden.check(try ExplorerFixtures.frame("Demo/demo.qcow2", view: .host, events: [.character("+")], size: Size(width: 60, height: 16)),
                     named: "host-demo-zoomed")
        Golden.check(try ExplorerFixtures.frame("corrupt-leak.qcow2", view: .host, events: [.character("n")]), named: "host-corrupt-leak", styles: true)
    }
}
