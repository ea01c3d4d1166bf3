/// The Hilbert curve of a given order: a walk through every cell of a `2^order × 2^order` square
/// in which consecutive indices are always neighbours.
///
/// Laying host-cluster buckets along it (as binvis and btrfs-heatmap do) keeps runs of nearby
/// clusters together as compact blobs instead of thin stripes, so a small L2 table or a
/// scattered run stays visible. The walk starts at the top-left `(0, 0)` and ends at the
/// top-right `(side - 1, 0)`, so squares placed side by side continue one another.
public struct HilbertCurve: Hashable, Sendable {
    /// log2 of the side; 0…15 (a 32768-cell side is more than any terminal).
    public let order: Int

    /// Creates a curve; nil when `order` is outside 0…15.
    public init?(order: Int) {
        guard (0...15).contains(order) else { return nil }
        self.order = order
    }

    /// Cells per side.
    public var side: Int { 1 << order }
    /// Cells in the square.
    public var count: Int { side * side }

    /// The cell at position `d` along the curve (nil outside `0..<count`).
    public func point(at d: Int) -> Point? {
        guard d >= 0, d < count else { return nil }
        var x = 0, y = 0
        var t = d
        var s = 1
        while s < side {
            let rx = 1 & (t / 2)
            let ry = 1 & (t ^ rx)
            (x, y) = Self.rotate(s, x, y, rx, ry)
            x += s * rx
            y += s * ry
            t /= 4
            s *= 2
        }
        return Point(x: x, y: y)
    }

    /// The position along the curve of cell `point` (nil outside the square).
    public func index(of point: Point) -> Int? {
        guard point.x >= 0, point.x < side, point.y >= 0, point.y < side else { return nil }
        var x = point.x, y = point.y
        var d = 0
        var s = side / 2
        while s > 0 {
            let rx = (x & s) > 0 ? 1 : 0
            let ry = (y & s) > 0 ? 1 : 0
            d += s * s * ((3 * rx) ^ ry)
            (x, y) = Self.rotate(side, x, y, rx, ry)
            s /= 2
        }
        return d
    }

    /// The quadrant rotation of the classic iterative algorithm.
    private static func rotate(_ n: Int, _ x: Int, _ y: Int, _ rx: Int, _ ry: Int) -> (Int, Int) {
        guard ry == 0 else { return (x, y) }
        var x = x, y = y
        if rx == 1 {
            x = n - 1 - x
            y = n - 1 - y
        }
        return (y, x)
    }

    /// The largest order whose square fits in `size` (nil when the size is empty).
    public static func largestOrder(fitting size: Size) -> Int? {
        let limit = min(size.width, size.height)
        guard limit > 0 else { return nil }
        var order = 0
        while order < 15, (1 << (order + 1)) <= limit { order += 1 }
        return order
    }
}
