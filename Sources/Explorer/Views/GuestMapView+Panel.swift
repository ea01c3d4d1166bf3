import Formatting
import Analysis
import Qcow2
import Reports
import TerminalUI

/// The guest map's info panel: the cell under the cursor (guest range, clusters by kind, jumps,
/// the host offset of its first mapped cluster and which file holds it) and the disk's
/// fragmentation figures.
struct GuestMapPanel: Widget {
    var model: GuestMapViewModel
    var source: GuestMapSource
    var theme: Theme

    /// The panel's lines as (label, value, value style); a nil label is a section title.
    func lines() -> [(label: String?, value: String, style: Style)] {
        guard let info = model.cursorInfo else { return [] }
        var out: [(String?, String, Style)] = []
        let n = UInt64(info.clusters.count)
        out.append((nil, n == 1 ? "Cluster #\(info.clusters.lowerBound)" : "Cell · \(n) clusters", theme.accent))
        out.append(("guest", hex(info.bytes.lowerBound), theme.value))
        if n > 1 { out.append(("to", hex(info.bytes.upperBound &- 1), theme.value)) }
        out.append(("size", Formatted.humanSize(UInt64(info.bytes.count)), theme.value))
        for (kind, count) in info.counts.present.prefix(8) {
            let label = n == 1 ? "reads" : kind == .unallocated && source.missingBacking != nil ? "missing" : kind.label
            let value: String
            if case .backing(let d) = kind {
                value = n == 1 ? "from \(source.layerName(d))" : "\(count) · \(source.layerName(d))"
            } else {
                value = n == 1 ? source.label(kind) : "\(count)"
            }
            if n == 1, kind == .unallocated, let missing = source.missingBacking {
                // Too long for one panel line: the name on its own.
                out.append(("reads", "missing backing:", theme.error))
                out.append(("", missing, theme.error))
                continue
            }
            out.append((label, value, kind == .unallocated ? theme.label : theme.style(kind)))
        }
        if let m = info.firstMapping {
            out.append(("host", hex(m.host), theme.value))
            if source.map.layers.indices.contains(m.depth), source.map.layers[m.depth].image?.header.cryptMethod ?? 0 != 0 {
                out.append(("", "encrypted data", theme.warning))
            }
            if m.guest != info.bytes.lowerBound { out.append(("for guest", hex(m.guest), theme.label)) }
            if m.depth > 0 || source.map.layers.first?.hasDataFile == true {
                out.append(("in", source.layerName(m.depth) + (m.depth == 0 ? " data file" : ""), theme.label))
            }
        }
        let jumpText = "\(info.jumps)\(info.jumpsExact ? "" : "+")"
        out.append(("jumps", info.jumps == 0 ? "none" : jumpText, info.jumps > 0 ? theme.warning : theme.label))
        out += model.volumeLines(info, theme: theme)
        out.append((nil, "", theme.value))
        out.append((nil, "Disk", theme.accent))
        let jumps = source.overview.jumps
        out.append(("host jumps", "\(jumps.total)\(jumps.isTruncated ? " (indexed: \(jumps.positions.count))" : "")", theme.value))
        out.append((nil, "", theme.value))
        switch model.drillTarget {
        case .success(let cluster): out.append((nil, "Enter opens host #\(cluster)", theme.label))
        case .failure: out.append((nil, "Enter: no host cluster here", theme.label))
        }
        return out
    }

    func draw(into screen: inout TerminalUI.Screen, in rect: Rect) {
        guard rect.width > 4, rect.height > 0 else { return }
        screen.draw(FieldList(lines(), labelWidth: 12, labelStyle: theme.label), in: rect)
    }
}
