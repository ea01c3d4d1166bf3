import Formatting
import Analysis
import Qcow2
import TerminalUI

/// The diff's cursor panel: the cell under the cursor (guest range, bytes by change), the
/// extent there (start, length, change) and the host clusters each state reads that guest
/// offset from (looked up on demand: an L2 table per layer, two lookups per frame).
struct DiffMapPanel: Widget {
    var model: DiffMapViewModel
    var theme: Theme

    /// Where state `state` reads guest `offset` from: a host cluster of a layer, or nothing.
    static func host(_ state: DiffState, at offset: UInt64, clusterSize: UInt64) -> (text: String, cluster: UInt64?) {
        guard offset < state.virtualSize else { return ("past its end: zeros", nil) }
        guard let hit = state.map.hostOffset(ofGuest: offset, revealingEncrypted: true) else { return ("no host cluster", nil) }
        let cluster = hit.offset / max(clusterSize, 1)
        if hit.depth == 0 { return ("#\(cluster) (\(hex(hit.offset)))", cluster) }
        return ("\(hex(hit.offset)) in backing \(hit.depth)", nil)
    }

    /// The guest offset the host lookups and Enter use: the cursor's extent's first byte in the
    /// cell, else the cell's first byte.
    static func probe(_ model: DiffMapViewModel) -> UInt64 {
        let cell = model.byteRange(model.cursorClusters)
        guard let (_, e) = model.cursorExtent else { return cell.lowerBound }
        return max(e.start, cell.lowerBound)
    }

    func lines() -> [(label: String?, value: String, style: Style)] {
        var out: [(String?, String, Style)] = []
        let clusters = model.cursorClusters
        let bytes = model.byteRange(clusters)
        let n = UInt64(clusters.count)
        out.append((nil, n == 1 ? "Cluster #\(clusters.lowerBound)" : "Cell · \(n) clusters", theme.accent))
        out.append(("guest", hex(bytes.lowerBound), theme.value))
        if n > 1 { out.append(("to", hex(bytes.upperBound &- 1), theme.value)) }
        let counts = model.diff.counts(in: bytes)
        for kind in DiffChange.allCases where counts[kind] > 0 {
            out.append((kind.label, Formatted.humanSize(counts[kind]), theme.diffStyle(kind)))
        }
        out.append(("unchanged", Formatted.humanSize(counts.unchanged), theme.label))
        out.append((nil, "", theme.value))
        if let (i, e) = model.cursorExtent {
            out.append((nil, "Extent \(i + 1) of \(model.diff.extents.count)", theme.accent))
            out.append(("start", hex(e.start), theme.value))
            out.append(("length", "\(Formatted.humanSize(e.length)) (\(e.length))", theme.value))
            out.append(("change", e.change.rawValue, theme.diffStyle(e.change)))
        } else {
            out.append((nil, "No change here", theme.accent))
        }
        let probe = Self.probe(model)
        out.append((nil, "", theme.value))
        out.append((nil, "Host at guest \(hex(probe))", theme.accent))
        out.append(("from", Self.host(model.diff.from, at: probe, clusterSize: model.clusterSize).text, theme.value))
        out.append(("to", Self.host(model.diff.to, at: probe, clusterSize: model.clusterSize).text, theme.value))
        out.append((nil, "", theme.value))
        switch DiffMapView.drillTarget(model) {
        case .success(let c): out.append((nil, "Enter opens host #\(c)", theme.label))
        case .failure: out.append((nil, "Enter: no host cluster here", theme.label))
        }
        out.append((nil, "n/N next / previous change", theme.label))
        return out
    }

    func draw(into screen: inout TerminalUI.Screen, in rect: Rect) {
        guard rect.width > 4, rect.height > 0 else { return }
        screen.draw(FieldList(lines(), labelWidth: 10, labelStyle: theme.label), in: rect)
    }
}

/// Colours and marks of the diff's change kinds, readable without colour: data keeps a density
/// shade of how much of the cell changed (`░▒▓█`; `#` when marks replace colour), `0` zeroed,
/// `-` unallocated (falls through to the layers below), `=` rewritten-same, `·` unchanged.
extension Theme {
    public func diffColor(_ kind: DiffChange?) -> Color {
        switch kind {
        case .data?: .indexed(203)
        case .zero?: .indexed(103)
        case .unallocated?: .indexed(214)
        case .rewrittenSame?: .indexed(73)
        case nil: .indexed(239)
        }
    }

    public func diffStyle(_ kind: DiffChange?) -> Style { Style.fg(diffColor(kind)) }

    /// The fixed mark of `kind` (data's is its density shade, except without colour).
    public func diffGlyph(_ kind: DiffChange?) -> Character {
        switch kind {
        case .data?: glyphs.isASCII ? "#" : "█"
        case .zero?: "0"
        case .unallocated?: "-"
        case .rewrittenSame?: "="
        case nil: glyphs.isASCII ? "." : "·"
        }
    }

    /// One cell of the diff heatmap.
    func diffCell(_ counts: DiffCounts) -> HeatmapCell {
        let kind = counts.shown
        if kind == .data, !marksRoles { return HeatmapCell(style: diffStyle(kind), level: max(counts.fill, 0.01)) }
        return HeatmapCell(style: diffStyle(kind), level: 1, glyph: diffGlyph(kind))
    }
}
