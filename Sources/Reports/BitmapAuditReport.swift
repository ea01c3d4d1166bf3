import Formatting
import Analysis
import Qcow2

/// `qcowscope bitmaps --audit SNAPSHOT`: each bitmap's dirty extents against the metadata diff
/// from the snapshot to `active` (issue 11's keys: `bitmaps` with `name`, `missed-extents` of
/// `start`/`length`, `missed-bytes`, `spurious-bytes`, `verdict`; others beside them).
public struct BitmapAuditReport: Sendable {
    public let audits: [BitmapAudit]
    public let snapshot: String
    public let diff: MetadataDiff
    public let filename: String
    public let findings: [Finding]

    public init(bitmaps: [BitmapExtents], diff: MetadataDiff, snapshot: String, filename: String, findings: [Finding]) {
        audits = bitmaps.map { BitmapAudit(bitmap: $0, diff: diff) }
        self.diff = diff
        self.snapshot = snapshot
        self.filename = filename
        self.findings = findings
    }

    public func json() -> JSONValue {
        func extents(_ list: [DirtyExtent]) -> JSONValue {
            .array(list.map { .object([("start", .uint($0.start)), ("length", .uint($0.length))]) })
        }
        return jsonObject([
            ("bitmaps", .array(audits.map { a in
                .object([("name", .string(a.name.string)), ("missed-extents", extents(a.missedExtents)),
                         ("missed-bytes", .uint(a.missedBytes)), ("spurious-bytes", .uint(a.spuriousBytes)),
                         ("verdict", .string(a.verdict.rawValue)), ("granularity", .uint(a.granularity)),
                         ("dirty-bytes", .uint(a.dirtyBytes)), ("changed-bytes", .uint(a.changedBytes)),
                         ("spurious-extents", extents(a.spuriousExtents))])
            })),
            ("snapshot", .string(snapshot)),
            ("changed-bytes", .uint(diff.changedBytes)),
            ("findings", .array(findings.map(\.json))),
        ])
    }

    public func text() -> String {
        var lines = ["bitmaps of \(filename.terminalSafe) against the changes since snapshot \(snapshot.terminalSafe) "
                     + "(metadata diff to active: \(Formatted.humanSize(diff.changedBytes)) changed in \(diff.extents.count) extent(s))"]
        if audits.isEmpty { lines.append("No persistent dirty bitmaps.") }
        for a in audits {
            lines.append("")
            lines.append("bitmap '\(a.name.escaped)' (granularity \(Formatted.humanSize(a.granularity)), dirty \(Formatted.humanSize(a.dirtyBytes))): \(a.verdict.rawValue)")
            lines.append("  missed \(Formatted.humanSize(a.missedBytes)) (\(a.missedBytes) bytes) in \(a.missedExtents.count) extent(s)"
                         + (a.missedBytes > 0 ? ": an incremental backup from this bitmap would lose them" : ""))
            for e in a.missedExtents.prefix(50) {
                lines.append("    " + DiffReport.column(hex(e.start), 20) + DiffReport.column(hex(e.end), 20) + Formatted.humanSize(e.length))
            }
            if a.missedExtents.count > 50 { lines.append("    ... \(a.missedExtents.count - 50) more (--json lists all)") }
            lines.append("  spurious \(Formatted.humanSize(a.spuriousBytes)) (\(a.spuriousBytes) bytes) dirty without a change: harmless, wasted backup I/O")
        }
        let missed = audits.filter { $0.verdict == .missedChanges }.count
        lines.append("")
        lines.append(missed == 0
            ? "Verdict: \(audits.filter { $0.verdict == .complete }.count) of \(audits.count) bitmap(s) complete; none missed a change."
            : "Verdict: \(missed) of \(audits.count) bitmap(s) missed changes: incremental backups from them are incomplete.")
        if !findings.isEmpty {
            lines.append("")
            lines.append("Findings:")
            for f in findings { lines.append("  \(f.description.terminalSafe)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
