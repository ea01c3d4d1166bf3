import Qcow2
import Analysis
import TerminalUI

/// What the guest filesystem says of a data cluster, in the cluster drill-down: for each guest
/// cluster of the active layer that this host cluster holds, its volume, filesystem block and
/// whether the filesystem uses it. Added when the drill is drawn, not when it is built, because
/// the volumes are read in the background and may arrive after the drill-down was.
extension ClusterDetailView {
    /// Guest clusters described at most (a cluster is normally mapped once).
    static let volumeLineLimit = 4

    /// The page's lines with the guest filesystem's lines right after the summary.
    public static func lines(_ model: ClusterDetailModel, _ page: ClusterDetailModel.Page, _ data: ExplorerData) -> [ClusterDetailModel.Line] {
        let all = model.lines(page)
        let extra = volumeLines(model, data)
        guard !extra.isEmpty else { return all }
        let split = min(model.head.count, all.count)
        return Array(all[..<split]) + extra + Array(all[split...])
    }

    static func volumeLines(_ model: ClusterDetailModel, _ data: ExplorerData) -> [ClusterDetailModel.Line] {
        let guests = model.references.references.compactMap { r -> UInt64? in
            if case .l2Entry(nil, _, _, let guest, _) = r.kind { return guest }
            return nil
        }
        guard !guests.isEmpty else { return [] }
        guard case .success(let usage)? = data.volumes else {
            return [ClusterDetailModel.Line(data.volumes == nil ? "Guest filesystem: reading…" : "Guest filesystem: the guest disk could not be read", .label)]
        }
        var out = [ClusterDetailModel.Line("Guest filesystem", .section)]
        let clusterSize = max(data.results.guestSummary?.clusterSize ?? data.clusterSize, 1)
        for guest in guests.prefix(volumeLineLimit) {
            let place = usage.locate(guest)
            var text = "  guest \(hex(guest)): "
            if let v = place.volume, usage.volumes.indices.contains(v) {
                text += GuestMapViewModel.volumeName(usage.volumes[v].volume)
                if let block = place.block { text += ", fs block #\(block)" }
            } else {
                text += "outside every volume"
            }
            let first = guest / clusterSize
            let kind = usage.layerCounts(clusters: first..<(first + 1), clusterSize: clusterSize).shown
            out.append(ClusterDetailModel.Line(text + " · " + kind.label, kind == .freeAllocated ? .warning : .plain))
        }
        if guests.count > volumeLineLimit { out.append(ClusterDetailModel.Line("  … and \(guests.count - volumeLineLimit) more", .label)) }
        return out + [ClusterDetailModel.Line("")]
    }
}
