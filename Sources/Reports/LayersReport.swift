import Formatting
import Analysis
import Qcow2

/// `qcowscope diff --layers`: own and shadowed bytes per chain layer and snapshot, and what
/// `qemu-img commit` of the top layer would write (issue 11's keys `layers` with `name`, `depth`,
/// `own-bytes`, `shadowed-bytes`, and `commit-bytes`; `kind` beside them).
public struct LayersReport: Sendable {
    public let accounting: LayerAccounting
    public let filename: String

    public init(accounting: LayerAccounting, filename: String) {
        self.accounting = accounting
        self.filename = filename
    }

    public func json() -> JSONValue {
        jsonObject([
            ("layers", .array(accounting.rows.map { r in
                .object([("name", .string(r.name)), ("depth", .int(Int64(r.depth))), ("own-bytes", .uint(r.ownBytes)),
                         ("shadowed-bytes", .uint(r.shadowedBytes)), ("kind", .string(r.kind.rawValue))])
            })),
            ("commit-bytes", .uint(accounting.commitBytes)),
            ("findings", .array(accounting.findings.map(\.json))),
        ])
    }

    public func text() -> String {
        var lines = ["layers of \(filename.terminalSafe): bytes each provides alone and bytes it shadows below", ""]
        lines.append(DiffReport.column("DEPTH", 7) + DiffReport.column("KIND", 10) + DiffReport.column("OWN", 12)
                     + DiffReport.column("SHADOWED", 12) + "NAME")
        for r in accounting.rows {
            lines.append(DiffReport.column(String(r.depth), 7) + DiffReport.column(r.kind.rawValue, 10)
                         + DiffReport.column(Formatted.humanSize(r.ownBytes), 12)
                         + DiffReport.column(Formatted.humanSize(r.shadowedBytes), 12) + r.name.terminalSafe)
        }
        lines.append("")
        if accounting.rows.filter({ $0.kind == .layer }).count > 1 {
            lines.append("qemu-img commit of the top layer would write \(Formatted.humanSize(accounting.commitBytes)) (\(accounting.commitBytes) bytes) into its backing file.")
        } else {
            lines.append("No backing file: nothing to commit (commit-bytes 0).")
        }
        if !accounting.findings.isEmpty {
            lines.append("")
            lines.append("Findings:")
            for f in accounting.findings { lines.append("  \(f.description.terminalSafe)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
