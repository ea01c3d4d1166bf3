import Analysis
import Explorer
import Testing
import TerminalUI
import TerminalUITesting

@Suite struct BitmapsTests {
    static func run(_ name: String, _ events: [InputEvent]) throws -> (AppState, ExplorerData) {
        try ExplorerFixtures.run(name, view: .bitmaps, events)
    }

    static let coverage = BitmapCoverage(
        extents: [DirtyExtent(start: 10, length: 10), DirtyExtent(start: 40, length: 20), DirtyExtent(start: 90, length: 10)],
        virtualSize: 100)

    @Test func dirtyBytesBelowAndIn() {
        let c = Self.coverage
        #expect(c.dirtyBytes(below: 0) == 0)
        #expect(c.dirtyBytes(below: 15) == 5)
        #expect(c.dirtyBytes(below: 20) == 10)
        #expect(c.dirtyBytes(below: 50) == 20)
        #expect(c.dirtyBytes(below: 100) == 40)
        #expect(c.dirtyBytes(below: .max) == 40)
        #expect(c.dirtyBytes(in: 15..<45) == 10)
    }

    @Test func stripFractionsAndBuckets() {
        let c = Self.coverage
        #expect(c.strip(buckets: 10) == [0, 1, 0, 0, 1, 1, 0, 0, 0, 1])
        #expect(c.strip(buckets: 4) == [0.4, 0.4, 0.4, 0.4])
        #expect(c.strip(buckets: 5) == [0.5, 0, 1, 0, 0.5])
        #expect(c.strip(buckets: 3).count == 3)
        #expect(c.bucket(2, of: 3) == 66..<100)
        #expect(c.bucketIndex(of: 0, buckets: 3) == 0 && c.bucketIndex(of: 65, buckets: 3) == 1 && c.bucketIndex(of: 66, buckets: 3) == 2)
        #expect(c.bucketIndex(of: 100, buckets: 3) == nil)
        // Every bucket maps back to itself.
        for n in [1, 7, 33, 100, 250] {
            for b in 0..<n where !c.bucket(b, of: n).isEmpty { #expect(c.bucketIndex(of: c.bucket(b, of: n).lowerBound, buckets: n) == b) }
        }
    }

    @Test func hugeDiskStripDoesNotOverflow() {
        let c = BitmapCoverage(extents: [DirtyExtent(start: 1 << 62, length: 1 << 61)], virtualSize: UInt64.max - 7)
        let strip = c.strip(buckets: 8)
        #expect(strip.count == 8 && strip[2] > 0.9 && strip[0] == 0)
    }

    @Test func percentText() {
        #expect(BitmapsViewModel.percent(0) == "0%")
        #expect(BitmapsViewModel.percent(0.00001) == "<0.01%")
        #expect(BitmapsViewModel.percent(0.0242) == "2.42%")
        #expect(BitmapsViewModel.percent(0.5) == "50.0%")
    }

    @Test func demoListFrame() throws {
        Golden.check(try ExplorerFixtures.frame("Demo/demo.qcow2", view: .bitmaps), named: "bitmaps-demo")
    }

    @Test func rowsMatchTheDecodedBitmaps() throws {
        let (_, data) = try Self.run("bitmaps.qcow2", [])
        let model = BitmapsViewModel(data: data)
        let decoded = BitmapExtents.decodeAll(data.image).bitmaps
        #expect(model.rows.map(\.dirtyBytes) == decoded.map(\.dirtyBytes))
        #expect(model.rows.map(\.extentCount) == decoded.map(\.extents.count))
        #expect(model.rows.allSatisfy { $0.problem == nil })
    }

    @Test func inUseBitmapIsFlagged() throws {
        let (_, data) = try Self.run("bitmaps-inuse.qcow2", [])
        let row = try #require(BitmapsViewModel(data: data).rows.first)
        #expect(row.isInUse && row.flags.contains("in-use") && row.problem?.contains("inconsistent") == true)
        Golden.check(try ExplorerFixtures.frame("bitmaps-inuse.qcow2", view: .bitmaps), named: "bitmaps-inuse")
    }

    @Test func enterListsExtentsAndEscReturns() throws {
        let (state, data) = try Self.run("Demo/demo.qcow2", [.down, .down, .enter, .down])
        #expect(state.drills == [.bitmapExtents(2)])
        #expect(state.screen.list.selection == 1)
        let frame = try ExplorerFixtures.frame("Demo/demo.qcow2", view: .bitmaps, events: [.down, .down, .enter, .down])
        Golden.check(frame, named: "bitmaps-demo-extents")
        #expect(frame.textDump().contains("coverage"))
        var after = state
        Explorer.update(&after, .escape, data, size: Size(width: 100, height: 32))
        #expect(after.drills.isEmpty && after.view == .bitmaps)
    }

    @Test func goToSelectsTheExtentAtOrAfter() throws {
        let (state, data) = try Self.run("Demo/demo.qcow2", [.enter, .character("g")] + InputEvent.typing("16M") + [.enter])
        let extents = BitmapExtents.decodeAll(data.image).bitmaps[0].extents
        let i = state.screen.list.selection
        #expect(extents[i].end > 16 << 20)
        #expect(i == 0 || extents[i - 1].end <= 16 << 20)
    }
}
