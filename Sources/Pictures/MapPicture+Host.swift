import Analysis
import Explorer
import Formatting
import TerminalUI

/// The host map: the image file's clusters by role, in the explorer's colours.
extension MapPicture {
    /// The picture of `analysis`'s host clusters. A group of several clusters takes the colour
    /// of its dominant role (problems first, as in the explorer), darkened toward free by how
    /// much of it is free.
    public static func host(_ analysis: ImageAnalysis, geometry: MapGeometry, title: String,
                            theme: Theme = Theme()) -> MapPicture {
        let summary = HostMapSummary(analysis: analysis)
        let free = RGB(theme.color(.free)) ?? MapPicture.empty
        let colors = groupColors(geometry, empty: free) { clusters in
            let counts = summary.counts(in: clusters)
            let role = counts.dominant
            return (theme.color(role), role == .leaked || role == .conflict ? 1 : counts.fill)
        }
        let legend = ClusterRole.allCases.compactMap { role -> LegendEntry? in
            let n = summary.totals[role]
            return n == 0 ? nil : LegendEntry(color: RGB(theme.color(role)) ?? free, label: "\(role.jsonName) \(n)")
        }
        return MapPicture(title: heading(title, what: "host clusters", clusterSize: analysis.clusterSize, geometry: geometry),
                          geometry: geometry, colors: colors, legend: legend)
    }

    /// One colour per group of `geometry`: `look` gives the group's colour and how full it is
    /// (problems say 1, so they are never darkened).
    static func groupColors(_ geometry: MapGeometry, empty: RGB,
                            _ look: (Range<UInt64>) -> (color: Color, fill: Double)) -> [RGB] {
        (0..<geometry.groups).map { g in
            let (color, fill) = look(geometry.clusters(of: g))
            return shaded(RGB(color) ?? empty, over: empty, fill: fill)
        }
    }

    /// `color` for a group `fill` (0…1) used: full at 1, at least a third of the way from the
    /// empty colour above 0 (so one cluster in a large group still shows), the empty colour at 0.
    static func shaded(_ color: RGB, over empty: RGB, fill: Double) -> RGB {
        guard fill < 1 else { return color }
        return fill <= 0 ? empty : empty.mixed(with: color, 0.35 + 0.65 * fill)
    }

    /// "NAME", then "1234 host clusters of 64 KiB · 16 per pixel · linear" ("per square" when
    /// a small map is drawn in blocks).
    static func heading(_ name: String, what: String, clusterSize: UInt64, geometry: MapGeometry) -> [String] {
        [name, "\(geometry.clusters) \(what) of \(Formatted.humanSize(clusterSize)) · "
            + "\(geometry.clustersPerPixel) per \(geometry.scale > 1 ? "square" : "pixel") · \(geometry.curve.rawValue)"]
    }
}
