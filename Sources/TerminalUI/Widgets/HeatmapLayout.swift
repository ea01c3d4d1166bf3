/// How a sequence of buckets (host clusters grouped in order) is placed on a grid of cells.
public enum HeatmapLayout: String, Hashable, Sendable, CaseIterable {
    /// Row by row, left to right: bucket `i` at `(i % width, i / width)`. Easy to read offsets.
    case linear
    /// Along Hilbert curves: power-of-two squares (as large as still fill most of the grid)
    /// repeated left to right, then downwards. Neighbouring buckets stay neighbouring cells.
    case hilbert

    /// How many buckets fit in a grid of `size` cells.
    public func capacity(in size: Size) -> Int {
        switch self {
        case .linear: return size.area
        case .hilbert:
            guard let tile = Self.tile(in: size) else { return 0 }
            return tile.curve.count * tile.across * tile.down
        }
    }

    /// The cell of bucket `index` (nil when it does not fit).
    public func position(of index: Int, in size: Size) -> Point? {
        guard index >= 0, index < capacity(in: size) else { return nil }
        switch self {
        case .linear:
            return Point(x: index % size.width, y: index / size.width)
        case .hilbert:
            guard let tile = Self.tile(in: size), let p = tile.curve.point(at: index % tile.curve.count) else { return nil }
            let t = index / tile.curve.count
            return Point(x: (t % tile.across) * tile.curve.side + p.x, y: (t / tile.across) * tile.curve.side + p.y)
        }
    }

    /// The bucket shown at cell `point` (nil for cells no bucket uses).
    public func index(at point: Point, in size: Size) -> Int? {
        guard point.x >= 0, point.y >= 0, point.x < size.width, point.y < size.height else { return nil }
        switch self {
        case .linear:
            return point.y * size.width + point.x
        case .hilbert:
            guard let tile = Self.tile(in: size) else { return nil }
            let side = tile.curve.side
            let tx = point.x / side, ty = point.y / side
            guard tx < tile.across, ty < tile.down,
                  let d = tile.curve.index(of: Point(x: point.x % side, y: point.y % side)) else { return nil }
            return (ty * tile.across + tx) * tile.curve.count + d
        }
    }

    /// The Hilbert square used for `size`, and how many fit across and down: the largest square
    /// whose tiles still cover at least two thirds of the grid (one big square in a wide
    /// terminal would leave most of it empty; tiny squares would lose the locality).
    static func tile(in size: Size) -> (curve: HilbertCurve, across: Int, down: Int)? {
        guard var order = HilbertCurve.largestOrder(fitting: size) else { return nil }
        while true {
            guard let curve = HilbertCurve(order: order) else { return nil }
            let across = size.width / curve.side, down = size.height / curve.side
            let covered = curve.count * across * down
            if order == 0 || covered * 3 >= size.area * 2 { return (curve, across, down) }
            order -= 1
        }
    }
}
