import Explorer
import Testing
import TerminalUI

/// HeatmapViewport and the shared heatmap navigation (host and guest maps).
@Suite struct GuestMapViewportTests {
    @Test(arguments: [(1000 as UInt64, 7, 5), (37, 10, 4), (5, 10, 4), (1 << 40, 80, 30), (UInt64.max / 3, 100, 40)])
    func fitBucketsTileTheMapAndInvert(units: UInt64, width: Int, height: Int) {
        let v = HeatmapViewport(units: units, gridSize: Size(width: width, height: height), layout: .linear, zoom: nil, origin: 0)
        var next: UInt64 = 0
        for i in 0..<v.cellCount {
            let r = v.range(ofCell: i)
            #expect(r.lowerBound == next)
            next = r.upperBound
            if !r.isEmpty {
                #expect(v.cell(containing: r.lowerBound) == i)
                #expect(v.cell(containing: r.upperBound - 1) == i)
            }
        }
        #expect(next == units)
    }

    @Test func zoomScrollsAndKeepsTheCursorVisible() {
        var s = HeatmapState()
        let grid = Size(width: 10, height: 4)
        let units: UInt64 = 10_000
        s.zoom = 2  // 4 clusters per cell, 160 per screen
        s.jump(to: 5_000, units: units, gridSize: grid)
        let v = s.viewport(units: units, gridSize: grid)
        #expect(v.cell(containing: 5_000) != nil)
        #expect(v.origin % 40 == 0)  // whole rows
        _ = s.handleNavigation(.end, units: units, gridSize: grid, gridRect: Rect(x: 0, y: 0, width: 20, height: 4), columnsPerCell: 2)
        #expect(s.cursor == units - 1)
        #expect(s.viewport(units: units, gridSize: grid).cell(containing: units - 1) != nil)
    }

    @Test func zoomStepsAndReturnsToFit() {
        var s = HeatmapState()
        let grid = Size(width: 10, height: 10)
        let rect = Rect(x: 0, y: 0, width: 20, height: 10)
        let units: UInt64 = 1000  // fit shift 4 (16 × 100 ≥ 1000)
        _ = s.handleNavigation(.character("+"), units: units, gridSize: grid, gridRect: rect, columnsPerCell: 2)
        #expect(s.zoom == 3)
        _ = s.handleNavigation(.character("+"), units: units, gridSize: grid, gridRect: rect, columnsPerCell: 2)
        #expect(s.zoom == 2)
        for _ in 0..<5 { _ = s.handleNavigation(.character("-"), units: units, gridSize: grid, gridRect: rect, columnsPerCell: 2) }
        #expect(s.zoom == nil)
        for _ in 0..<10 { _ = s.handleNavigation(.character("+"), units: units, gridSize: grid, gridRect: rect, columnsPerCell: 2) }
        #expect(s.zoom == 0)
    }

    @Test func hilbertArrowsMoveToNeighbouringCells() {
        var s = HeatmapState()
        s.layout = .hilbert
        s.zoom = 0
        let grid = Size(width: 8, height: 8)
        let rect = Rect(x: 0, y: 0, width: 16, height: 8)
        let units: UInt64 = 1000
        for key in [InputEvent.right, .down, .down, .left] {
            let before = s.viewport(units: units, gridSize: grid)
            let p0 = HeatmapLayout.hilbert.position(of: before.cell(containing: s.cursor) ?? -1, in: grid)
            _ = s.handleNavigation(key, units: units, gridSize: grid, gridRect: rect, columnsPerCell: 2)
            let after = s.viewport(units: units, gridSize: grid)
            let p1 = HeatmapLayout.hilbert.position(of: after.cell(containing: s.cursor) ?? -1, in: grid)
            if let p0, let p1 { #expect(abs(p0.x - p1.x) + abs(p0.y - p1.y) == 1) }
        }
    }

    @Test func hugeMapsNeverOverflow() {
        var s = HeatmapState()
        let grid = Size(width: 200, height: 60)
        let rect = Rect(x: 0, y: 0, width: 400, height: 60)
        let units = UInt64.max
        for key in [InputEvent.end, .character("+"), .pageDown, .character("-"), .home, .up, .character("+"), .end, .right] {
            _ = s.handleNavigation(key, units: units, gridSize: grid, gridRect: rect, columnsPerCell: 2)
            let v = s.viewport(units: units, gridSize: grid)
            #expect(v.cellCount <= v.capacity)
        }
        #expect(s.cursor == units - 1)
    }
}
