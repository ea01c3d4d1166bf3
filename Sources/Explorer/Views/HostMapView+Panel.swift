import Analysis
import Qcow2
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
        if let owners = analysis.clusters.owners(at: index) {
            out.append(("owners", ownersText(owners, snapshots: analysis.snapshots.count), theme.value))
        }
        let range = model.cursorRange
        if range.count > 1 {
            out.append((nil, "", theme.value))
            out.append((nil, "Cell · \(range.count) clusters", theme.accent))
            out.append(("from", hex(range.lowerBound << bits), theme.value))
            out.append(("to", hex((range.upperBound << bits) &- 1), theme.value))
            // Role names are longer than the label column: one line each, swatch, name, count.
            for (role, count) in summary.counts(in: range).present.prefix(8) {
                let name = TerminalText.padded(role.jsonName, width: 17)
                out.append((nil, "\(theme.glyphs.swatch) \(name)\(count)", theme.style(role)))
            }
        }
        out.append((nil, "", theme.value))
        let target = model.drillTarget
        out.append((nil, "Enter opens #\(target) (\(analysis.role(ofCluster: Int(clamping: target)).jsonName))", theme.label))
        return out
    }

    /// The lowest and highest owner (the scan keeps only those two): "active", "snapshot 1",
    /// "snapshot 0 … active".
    func ownersText(_ owners: (low: OwnerCode, high: OwnerCode), snapshots n: Int) -> String {
        let low = owners.low.snapshotIndex(snapshotCount: n)
        let high = owners.high.snapshotIndex(snapshotCount: n)
        switch (low, high) {
        case (nil, _): return "active"
        case (let l?, nil): return "snapshot \(l) … active"
        case (let l?, let h?): return l == h ? "snapshot \(l)" : "snapshots \(l) … \(h)"
        }
    }

    func draw(into screen: inout TerminalUI.Screen, in rect: Rect) {
        guard rect.width > 4, rect.height > 0 else { return }
        screen.draw(FieldList(lines(), labelWidth: 9, labelStyle: theme.label), in: rect)
    }
}
