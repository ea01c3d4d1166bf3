import Analysis
import Formatting
import Qcow2
import Reports
import TerminalUI

/// The host map's info panel: the cluster under the cursor (offset, role, stored and counted
/// refcount, owners) and the cell it is in (offset range, clusters per role).
struct HostMapPanel: Widget {
    var model: HostMapViewModel
    var data: ExplorerData
    var summary: HostMapSummary
    var theme: Theme

    /// The panel's lines as (label, value, value style); a nil label is a section title.
    func lines() -> [(label: String?, value: String, style: Style)] {
        let analysis = summary.analysis
        let c = model.state.cursor
        let index = Int(clamping: c)
        let bits = UInt64(model.clusterBits)
        let role = analysis.role(ofCluster: index)
        var out: [(String?, String, Style)] = [(nil, "Cluster #\(c)", theme.accent)]
        out.append(("offset", hex(c << bits), theme.value))
        out.append(("role", role.jsonName, theme.style(role)))
        let computed = analysis.computedRefcount(ofCluster: index)
        if let stored = analysis.storedRefcount(ofCluster: index) {
            let mismatch = stored != computed
            out.append(("refcount", "\(stored) stored · \(computed) counted", mismatch ? theme.error : theme.value))
            if mismatch { out.append(("", stored < computed ? "too low: corruption" : "too high: leak", theme.error)) }
        } else {
            out.append(("refcount", "? stored (unreadable) · \(computed) counted", theme.warning))
        }
        if summary.isCorrupt(c) {
            out.append(("", "corrupt (Check view)", theme.error))
        }
        if let owners = analysis.owners(ofCluster: index) {
            for (k, text) in ownerLines(owners).enumerated() { out.append((k == 0 ? "owners" : "", text, theme.value)) }
        }
        let range = model.cursorRange
        if range.count > 1 {
            out.append((nil, "", theme.value))
            out.append((nil, "Cell · \(Formatted.count(range.count, "cluster"))", theme.accent))
            out.append(("from", hex(range.lowerBound << bits), theme.value))
            out.append(("to", hex((range.upperBound << bits) &- 1), theme.value))
            // Role names are longer than the label column: one line each, swatch, name, count.
            for (role, count) in summary.counts(in: range).present.prefix(8) {
                let name = TerminalText.padded(role.jsonName, width: 17)
                out.append((nil, "\(theme.swatch(role)) \(name)\(count)", theme.style(role)))
            }
        }
        out.append((nil, "", theme.value))
        let target = model.drillTarget
        out.append((nil, "Enter opens #\(target) (\(analysis.role(ofCluster: Int(clamping: target)).jsonName))", theme.label))
        return out
    }

    /// Who references the cluster, one a line, by snapshot ID and name as the snapshot table
    /// and the drill-down name them (`1 "base"`, then `current`); after four, how many more.
    func ownerLines(_ owners: (snapshots: [Int], current: Bool)) -> [String] {
        let table = data.info.snapshots
        var names = owners.snapshots.map { i -> String in
            guard i >= 0, i < table.count else { return "snapshot #\(i)" }
            return "\(table[i].id.escaped) \"\(table[i].name.escaped)\""
        }
        if owners.current { names.append("current") }
        guard names.count > 4 else { return names }
        return Array(names.prefix(3)) + ["and \(names.count - 3) more"]
    }

    func draw(into screen: inout TerminalUI.Screen, in rect: Rect) {
        guard rect.width > 4, rect.height > 0 else { return }
        screen.draw(FieldList(lines(), labelWidth: 9, labelStyle: theme.label), in: rect)
    }
}
