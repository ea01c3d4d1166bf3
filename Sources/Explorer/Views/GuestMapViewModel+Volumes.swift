import Formatting
import Analysis
import Guest
import Reports
import TerminalUI

/// The guest map's volume layer (`v`): each cluster by what the guest filesystem says of it —
/// in use, free but allocated in the file (reclaimable), free and unallocated, outside every
/// volume, not analysed — from the ``VolumeUsage`` read in the background after the scan; and
/// what the cursor panel says of the volume, filesystem block and use under the cursor.
extension GuestMapViewModel {
    /// Whether cells carry the layer's counts: the layer is on and the volumes are read.
    var showsLayer: Bool { state.showsVolumes && source?.volumes != nil }

    /// The legend with the layer on: each layer kind on the disk with its cluster count; while
    /// the volumes are read (or for a snapshot's disk), a note saying why there is none.
    static func layerLegend(_ source: GuestMapSource) -> [(LegendKey, String)] {
        guard let usage = source.volumes else {
            return [(.note, "volume layer: \(source.volumesNote ?? "not available")")]
        }
        let summary = source.summary
        let totals = source.cache.layerTotals(source.key) {
            usage.layerCounts(clusters: 0..<summary.clusterCount, clusterSize: summary.clusterSize)
        }
        let encrypted = usage.volumes.count == 1 && usage.volumes.first?.volume.filesystem.notAnalysedReason?.contains("encrypted") == true
        return GuestLayerKind.allCases.filter { totals[$0] > 0 }.map { kind in
            let label = kind == .notAnalysed && encrypted ? "not analysed (encrypted)" : kind.label
            return (.layer(kind), "\(label) \(totals[kind])")
        }
    }

    /// The panel's lines on the guest filesystem under the cursor: the volume, the filesystem
    /// block and whether it is in use (one cluster), or clusters by layer kind (a cell).
    func volumeLines(_ info: CursorInfo, theme: Theme) -> [(label: String?, value: String, style: Style)] {
        guard let source else { return [] }
        guard let usage = source.volumes else {
            return state.showsVolumes ? [(nil, "", theme.value), ("volumes", source.volumesNote ?? "not available", theme.label)] : []
        }
        var out: [(String?, String, Style)] = [(nil, "", theme.value), (nil, "Guest filesystem", theme.accent)]
        let offset = info.bytes.lowerBound
        let place = usage.locate(offset)
        if let v = place.volume, usage.volumes.indices.contains(v) {
            out.append(("volume", Self.volumeName(usage.volumes[v].volume), theme.value))
            let fs = usage.volumes[v].volume.filesystem
            if let block = place.block, let size = fs.blockSize {
                out.append(("fs block", "#\(block) (\(Formatted.humanSize(size)))", theme.value))
            }
        } else {
            out.append(("volume", "none (outside volumes)", theme.label))
        }
        let counts = usage.layerCounts(clusters: info.clusters, clusterSize: clusterSize)
        if info.clusters.count == 1 {
            let kind = counts.shown
            out.append(("fs says", kind.label, theme.style(kind)))
        } else {
            for kind in GuestLayerKind.allCases where counts[kind] > 0 {
                out.append((kind.shortLabel, "\(counts[kind])", theme.style(kind)))
            }
        }
        return out
    }

    /// `gpt 1 ext4 "root"`, `lvm home xfs`, `whole disk ext4`: table, number or name,
    /// filesystem and label (escaped).
    static func volumeName(_ v: GuestVolume) -> String {
        let place = v.table == .none ? "whole disk" : "\(v.table.rawValue) \(v.partition.map(String.init) ?? v.name?.terminalSafe ?? "-")"
        let label = v.filesystem.label.map { " \"\($0.terminalSafe)\"" } ?? ""
        return "\(place) \(v.filesystem.kind.rawValue)\(label)"
    }
}
