import Analysis
import Explorer

/// The guest map: the virtual disk's clusters by what answers them, in the explorer's colours.
extension MapPicture {
    /// The picture of a guest map summary. A group takes the colour the explorer gives its cell
    /// (the most common kind other than unallocated), darkened toward unallocated by how much of
    /// it reads as nothing.
    public static func guest(_ summary: GuestMapSummary, geometry: MapGeometry, title: String,
                             theme: Theme = Theme()) -> MapPicture {
        let empty = RGB(theme.color(GuestClusterKind.unallocated)) ?? MapPicture.empty
        let colors = groupColors(geometry, empty: empty) { clusters in
            let counts = summary.counts(clusters: clusters)
            return (theme.color(counts.shown), counts.shown == .invalid ? 1 : counts.fill)
        }
        let totals = summary.counts(clusters: 0..<summary.clusterCount)
        let legend = totals.present.map { LegendEntry(color: RGB(theme.color($0.kind)) ?? empty, label: "\($0.kind.label) \($0.count)") }
        return MapPicture(title: heading(title, what: "guest clusters", clusterSize: summary.clusterSize, geometry: geometry),
                          geometry: geometry, colors: colors, legend: legend)
    }
}
