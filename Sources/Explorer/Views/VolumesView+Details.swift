import Qcow2
import Formatting
import Analysis
import Guest
import Reports
import TerminalUI

/// The selected volume under the Volumes table: on the left where it is and what its filesystem
/// says (label, UUID, block size, counts, the reader's own details), on the right its free space
/// by extent size (``FreeExtentHistogram``), and the findings under both: the volume's own first,
/// then the disk's (partition tables, the walk).
struct VolumeDetails: Widget {
    var usage: VolumeUsage
    var index: Int
    var theme: Theme

    /// Columns of the field list on the left (the histogram takes the rest).
    static let fieldsWidth = 54

    func fields() -> [FieldList.Row] {
        let v = usage.volumes[index]
        let g = v.volume
        let fs = g.filesystem
        let size = Formatted.humanSize
        var out: [FieldList.Row] = []
        let number = g.partition.map { "partition \($0)" } ?? (g.table == .lvm ? "logical volume" : "whole disk")
        out.append(FieldList.Row(nil, "Volume \(index + 1) · \(g.table.rawValue) \(number)", theme.accent))
        if let name = g.name { out.append(FieldList.Row("name", name.terminalSafe, theme.value)) }
        if let type = g.type { out.append(FieldList.Row("type", type.terminalSafe, theme.label)) }
        out.append(FieldList.Row("guest", "\(hex(g.start)) · \(size(g.length))", theme.value))
        if g.segments.count > 1 { out.append(FieldList.Row("segments", "\(g.segments.count)", theme.value)) }
        out.append(FieldList.Row("filesystem", fs.kind.rawValue + (fs.possiblyStale ? " · possibly stale (see findings)" : ""),
                                 fs.possiblyStale ? theme.warning : theme.value))
        out.append(FieldList.Row("label", fs.label?.terminalSafe ?? "-", theme.value))
        out.append(FieldList.Row("UUID", fs.uuid?.terminalSafe ?? "-", theme.value))
        if let block = fs.blockSize, let blocks = fs.blocks, let free = fs.freeBlocks {
            out.append(FieldList.Row("block size", size(block), theme.value))
            out.append(FieldList.Row("blocks", "\(blocks), \(free) free", theme.value))
        }
        out.append(FieldList.Row("in file", "\(size(v.allocatedBytes)) allocated", theme.value))
        if fs.isAnalysed {
            out.append(FieldList.Row("reclaimable", size(v.reclaimableBytes),
                                     v.reclaimableBytes > 0 ? theme.style(GuestLayerKind.freeAllocated) : theme.value))
        } else {
            out.append(FieldList.Row("not analysed", fs.notAnalysedReason?.terminalSafe ?? "no free map read", theme.label))
        }
        let shown: Set<String> = ["label", "uuid", "block size", "blocks", "free blocks"]
        for (name, value) in fs.details.filter({ !shown.contains($0.0.lowercased()) }).prefix(6) {
            out.append(FieldList.Row(name.terminalSafe, value.terminalSafe, theme.label))
        }
        return out
    }

    /// The volume's findings, then the disk's, most severe first within each.
    func findings() -> [Finding] {
        let own = usage.volumes[index].volume.filesystem.findings
        let everyVolume = Set(usage.volumes.flatMap(\.volume.filesystem.findings))
        let disk = usage.findings.filter { !everyVolume.contains($0) }
        return own.sorted { $0.severity > $1.severity } + disk.sorted { $0.severity > $1.severity }
    }

    func draw(into screen: inout TerminalUI.Screen, in rect: Rect) {
        guard !rect.isEmpty else { return }
        screen.fill(Rect(x: rect.x - 1, y: rect.y - 1, width: rect.width + 1, height: 1), with: Cell(theme.glyphs.horizontal, style: theme.label))
        let findings = findings()
        let findingRows = findings.isEmpty ? 0 : min(findings.count + 1, max(2, rect.height / 4))
        let (top, bottom) = rect.splitBottom(findingRows)
        let (left, right) = top.splitLeft(min(Self.fieldsWidth, top.width / 2 + 8))
        screen.draw(FieldList(fields(), labelWidth: 14, labelStyle: theme.label), in: left)
        drawHistogram(in: right.inset(left: 2), into: &screen)
        guard findingRows > 0 else { return }
        screen.put("Findings (\(findings.count))", in: bottom.row(0), style: theme.accent)
        for (i, f) in findings.prefix(bottom.height - 1).enumerated() {
            screen.put("\(f.severity.rawValue): \(f.structure.rawValue) at \(hex(f.offset)): \(f.message.terminalSafe)",
                       in: bottom.row(i + 1), style: theme.style(f.severity))
        }
    }

    func drawHistogram(in rect: Rect, into screen: inout TerminalUI.Screen) {
        guard rect.width > 10, rect.height > 2 else { return }
        let v = usage.volumes[index]
        screen.put("Free space by extent size", in: rect.row(0), style: theme.accent)
        guard v.isAnalysed else {
            screen.put("not analysed: no free map", in: rect.row(1), style: theme.label)
            return
        }
        let h = FreeExtentHistogram(v)
        let size = Formatted.humanSize
        let summary = h.extentCount == 0 ? "no free extents"
            : "\(h.extentCount) free extent\(h.extentCount == 1 ? "" : "s") · largest \(size(h.largest))"
            + " · \(Int((h.share(atLeast: 1 << 20) * 100).rounded()))% in ≥ 1 MiB"
        screen.put(summary, in: rect.row(1), style: theme.label)
        let rows = h.buckets.map { HistogramRow(FreeExtentHistogram.label($0), count: $0.extents) }
        let histogram = Histogram(rows: rows, logScale: true, barStyle: theme.bar, labelStyle: theme.label, glyphs: theme.glyphs)
        screen.draw(histogram, in: rect.inset(top: 2))
    }
}
