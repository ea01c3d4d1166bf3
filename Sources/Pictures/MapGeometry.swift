import TerminalUI

/// How a map of `clusters` is laid out as a picture: clusters per pixel, where each group of
/// clusters goes (file order left to right, or along a Hilbert curve), and how large a pixel is
/// drawn.
///
/// A map is at most `width × width` groups, so a multi-terabyte file still makes a picture of a
/// sane size: the clusters per pixel grow instead. A map with fewer groups than that is drawn
/// with each group as a square block, so a small image is not a one-pixel-high stripe.
public struct MapGeometry: Hashable, Sendable {
    public enum Curve: String, Sendable, CaseIterable {
        case linear, hilbert
    }

    public let curve: Curve
    /// Clusters mapped.
    public let clusters: UInt64
    /// Clusters per group (pixel); the last group may hold fewer.
    public let clustersPerPixel: UInt64
    /// Groups drawn.
    public let groups: Int
    /// Groups per row and rows of groups.
    public let columns: Int
    public let rows: Int
    /// The side of each group's square in pixels.
    public let scale: Int

    /// The widest map: 4096 groups per row.
    public static let maximumWidth = 4096

    /// The layout of `clusters` in a map about `width` pixels wide (clamped to 16…4096; the
    /// Hilbert curve takes the largest power of two that fits).
    public init(clusters: UInt64, width: Int, curve: Curve) {
        self.curve = curve
        self.clusters = clusters
        let width = min(max(width, 16), Self.maximumWidth)
        var side = 1
        while side * 2 <= width { side *= 2 }
        let limit = UInt64(curve == .hilbert ? side * side : width * width)
        let perPixel = max(1, (clusters + limit - 1) / limit)
        clustersPerPixel = perPixel
        let groups = Int((clusters + perPixel - 1) / perPixel)
        self.groups = groups
        switch curve {
        case .linear:
            // A full row when there are enough groups, else a near square.
            var columns = width
            if groups < width * width / 4 {
                columns = 1
                while columns * columns < groups { columns += 1 }
                columns = min(width, max(columns * 2, 1))
            }
            self.columns = min(columns, max(groups, 1))
            rows = max(1, (groups + self.columns - 1) / self.columns)
        case .hilbert:
            var order = 0
            while (1 << order) * (1 << order) < groups { order += 1 }
            columns = 1 << order
            rows = columns
        }
        scale = min(32, max(1, width / max(columns, 1)))
    }

    /// The curve order of a Hilbert layout (columns = 2^order).
    var order: Int { columns.trailingZeroBitCount }

    /// Where group `g` sits, in groups from the map's top-left.
    public func position(of group: Int) -> Point {
        switch curve {
        case .linear: return Point(x: group % columns, y: group / columns)
        case .hilbert: return HilbertCurve(order: order)?.point(at: group) ?? Point(x: 0, y: 0)
        }
    }

    /// The clusters of group `g`.
    public func clusters(of group: Int) -> Range<UInt64> {
        let start = UInt64(group) * clustersPerPixel
        return start..<min(start + clustersPerPixel, clusters)
    }

    /// The map's size in pixels.
    public var pixelWidth: Int { columns * scale }
    public var pixelHeight: Int { rows * scale }
}
