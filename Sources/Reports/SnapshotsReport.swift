import Formatting
import Analysis

/// `qcowscope snapshots`: every internal snapshot with qemu-img's keys and what it costs.
///
/// JSON: `{"snapshots": [...], "current": {...}}`. Each snapshot carries the keys
/// `qemu-img info --output=json` prints for it (same order; `icount` when recorded), then
/// `l1-table-offset`, `l1-size`, `disk-size`, `referenced-bytes`, `exclusive-bytes` (what deleting
/// this snapshot alone frees), `shared-bytes` and `parent` (the id of the earlier snapshot it
/// shares the most clusters with; null for the first). `current` is the active state with the
/// same byte keys.
public struct SnapshotsReport: Sendable {
    public let analysis: ImageAnalysis

    public init(analysis: ImageAnalysis) { self.analysis = analysis }

    func ownKeys(_ u: SnapshotUsage, l1Offset: UInt64, l1Size: UInt32) -> [(String, JSONValue?)] {
        let parent = u.parent.flatMap { analysis.snapshots.indices.contains($0) ? analysis.snapshots[$0].snapshot : nil }
        return [
            ("l1-table-offset", .uint(l1Offset)),
            ("l1-size", .uint(UInt64(l1Size))),
            ("disk-size", .uint(u.diskSize)),
            ("referenced-bytes", .uint(u.referencedBytes)),
            ("exclusive-bytes", u.exclusiveBytes.map(JSONValue.uint) ?? .null),
            ("shared-bytes", u.sharedBytes.map(JSONValue.uint) ?? .null),
            ("parent", parent.map { .string($0.id.string) } ?? .null),
        ]
    }

    public func json() -> JSONValue {
        let list: [JSONValue] = analysis.snapshots.compactMap { u in
            guard let s = u.snapshot, case .object(let qemu) = InfoReport.qemuSnapshot(s) else { return nil }
            return jsonObject(qemu.map { ($0.0, $0.1) } + ownKeys(u, l1Offset: s.l1TableOffset, l1Size: s.l1Size))
        }
        let h = analysis.header
        return jsonObject([
            ("snapshots", .array(list)),
            ("current", jsonObject(ownKeys(analysis.current, l1Offset: h.l1TableOffset, l1Size: h.l1Size))),
            inUsePair(analysis.inUse),
        ])
    }

    /// A table like `qemu-img snapshot -l`, with the usage columns added.
    public func text() -> String {
        func size(_ v: UInt64?) -> String { v.map(Formatted.humanSize) ?? "?" }
        var rows = [["ID", "TAG", "VM SIZE", "DATE", "VM CLOCK", "REFERENCED", "EXCLUSIVE", "SHARED", "PARENT"]]
        for u in analysis.snapshots {
            guard let s = u.snapshot else { continue }
            let parent = u.parent.flatMap { analysis.snapshots.indices.contains($0) ? analysis.snapshots[$0].snapshot?.id.escaped : nil }
            rows.append([s.id.escaped, s.name.escaped, Formatted.humanSize(s.vmStateSize), Formatted.date(s.dateSeconds),
                         Formatted.clock(s.vmClockNanoseconds), size(u.referencedBytes), size(u.exclusiveBytes),
                         size(u.sharedBytes), parent ?? "-"])
        }
        let c = analysis.current
        let parent = c.parent.flatMap { analysis.snapshots.indices.contains($0) ? analysis.snapshots[$0].snapshot?.id.escaped : nil }
        rows.append(["-", "(current)", "", "", "", size(c.referencedBytes), size(c.exclusiveBytes), size(c.sharedBytes), parent ?? "-"])
        var out = analysis.snapshots.isEmpty ? "No snapshots.\n" : ""
        out += InfoFormatting.table(rows, indent: "").joined(separator: "\n") + "\n"
        out += "\nEXCLUSIVE: what deleting that snapshot alone would free. PARENT: the earlier snapshot it shares the most clusters with.\n"
        return out
    }
}
