import Testing
import TerminalUI

@Suite struct HilbertCurveTests {
    @Test(arguments: 0...7)
    func bijectionWithNeighbourSteps(order: Int) throws {
        let curve = try #require(HilbertCurve(order: order))
        var seen = Set<Point>()
        var previous: Point? = nil
        for d in 0..<curve.count {
            let p = try #require(curve.point(at: d))
            #expect(p.x >= 0 && p.x < curve.side && p.y >= 0 && p.y < curve.side)
            #expect(curve.index(of: p) == d)
            #expect(seen.insert(p).inserted)
            if let previous { #expect(abs(previous.x - p.x) + abs(previous.y - p.y) == 1) }
            previous = p
        }
        #expect(seen.count == curve.count)
        #expect(curve.point(at: 0) == Point(x: 0, y: 0))
        #expect(curve.point(at: curve.count - 1) == Point(x: curve.side - 1, y: 0))
    }

    @Test func rejectsOutOfRange() throws {
        #expect(HilbertCurve(order: -1) == nil)
        #expect(HilbertCurve(order: 16) == nil)
        let curve = try #require(HilbertCurve(order: 2))
        #expect(curve.point(at: 16) == nil)
        #expect(curve.point(at: -1) == nil)
        #expect(curve.index(of: Point(x: 4, y: 0)) == nil)
    }

    @Test func orderTwoShape() throws {
        let curve = try #require(HilbertCurve(order: 2))
        var grid = Array(repeating: Array(repeating: 0, count: 4), count: 4)
        for d in 0..<16 { if let p = curve.point(at: d) { grid[p.y][p.x] = d } }
        #expect(grid == [[0, 1, 14, 15], [3, 2, 13, 12], [4, 7, 8, 11], [5, 6, 9, 10]])
    }

    @Test(arguments: [HeatmapLayout.linear, .hilbert])
    func layoutsAreBijectiveOverTheirCapacity(layout: HeatmapLayout) throws {
        let size = Size(width: 70, height: 20)
        let capacity = layout.capacity(in: size)
        #expect(capacity == (layout == .linear ? 1400 : 16 * 16 * 4))
        var seen = Set<Point>()
        for i in 0..<capacity {
            let p = try #require(layout.position(of: i, in: size))
            #expect(layout.index(at: p, in: size) == i)
            #expect(seen.insert(p).inserted)
        }
        #expect(layout.position(of: capacity, in: size) == nil)
        #expect(layout.index(at: Point(x: 70, y: 0), in: size) == nil)
        if layout == .hilbert {
            // Squares side by side continue one another: the walk never jumps.
            for i in 1..<capacity {
                let a = try #require(layout.position(of: i - 1, in: size))
                let b = try #require(layout.position(of: i, in: size))
                #expect(abs(a.x - b.x) + abs(a.y - b.y) == 1)
            }
            #expect(layout.index(at: Point(x: 69, y: 0), in: size) == nil)
        }
    }

    @Test func hilbertTilesFillMostOfAnAwkwardGrid() throws {
        // 29×34: one 16-square would cover half; 8-squares, 3 across and 4 down, cover 78%.
        let size = Size(width: 29, height: 34)
        #expect(HeatmapLayout.hilbert.capacity(in: size) == 768)
        #expect(HeatmapLayout.hilbert.position(of: 64, in: size) == Point(x: 8, y: 0))
        #expect(HeatmapLayout.hilbert.position(of: 3 * 64, in: size) == Point(x: 0, y: 8))
    }

    @Test func emptySizesHoldNothing() {
        #expect(HeatmapLayout.hilbert.capacity(in: Size(width: 0, height: 10)) == 0)
        #expect(HeatmapLayout.linear.position(of: 0, in: .zero) == nil)
    }
}
