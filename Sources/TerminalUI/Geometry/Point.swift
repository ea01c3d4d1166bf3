/// A cell position on a ``Screen``: column `x` from the left, row `y` from the top, both zero-based.
///
/// Coordinates may be negative or past the edge: drawing clips, so widgets can compute positions
/// freely and never write outside the grid.
public struct Point: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }

    public static let zero = Point(x: 0, y: 0)

    /// This point moved by `dx` columns and `dy` rows.
    public func offset(dx: Int = 0, dy: Int = 0) -> Point { Point(x: x &+ dx, y: y &+ dy) }

    public var description: String { "(\(x), \(y))" }
}

/// A size in cells. Negative extents are clamped to zero on creation, so an empty area is always
/// `width == 0 || height == 0` and loops over it never run backwards.
public struct Size: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public static let zero = Size(width: 0, height: 0)

    /// Number of cells, saturating rather than trapping on absurd sizes.
    public var area: Int {
        let (product, overflow) = width.multipliedReportingOverflow(by: height)
        return overflow ? Int.max : product
    }

    public var isEmpty: Bool { width == 0 || height == 0 }

    public var description: String { "\(width)x\(height)" }
}
