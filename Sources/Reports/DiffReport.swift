import Formatting
import Analysis
import Qcow2

/// `qcowscope diff`: the guest extents that changed between two states, as a table with totals
/// or as JSON with issue 11's keys (`from`, `to`, `extents` of `start`/`length`/`change`,
/// `changed-bytes`) and qcowscope's beside them.
public struct DiffReport: Sendable {
    public let diff: MetadataDiff
    public let filename: String

    public init(diff: MetadataDiff, filename: String) {
        self.diff = diff
        self.filename = filename
    }

    public func json() -> JSONValue {
        jsonObject([
            ("from", .string(diff.from)),
            ("to", .string(diff.to)),
            ("extents", .array(diff.extents.map { e in
                .object([("start", .uint(e.start)), ("length", .uint(e.length)), ("change", .string(e.change.rawValue))])
            })),
            ("changed-bytes", .uint(diff.changedBytes)),
            ("virtual-size", .uint(diff.virtualSize)),
            ("from-size", .uint(diff.fromSize)),
            ("to-size", .uint(diff.toSize)),
            ("content-compared", .bool(diff.contentCompared)),
            ("bytes-by-change", .object(diff.bytesByChange.map { ($0.0.rawValue, .uint($0.1)) })),
            ("findings", .array(diff.findings.map(\.json))),
        ])
    }

    public func text() -> String {
        var lines: [String] = []
        let mode = diff.contentCompared ? "metadata, then content of the changed clusters" : "metadata only"
        lines.append("diff \(filename.terminalSafe): from \(diff.from.terminalSafe) to \(diff.to.terminalSafe) (\(mode))")
        if diff.extents.isEmpty {
            lines.append("No changes.")
        } else {
            lines.append("")
            lines.append(Self.column("START", 20) + Self.column("END", 20) + Self.column("LENGTH", 12) + "CHANGE")
            for e in diff.extents {
                lines.append(Self.column(hex(e.start), 20) + Self.column(hex(e.end), 20) + Self.column(Formatted.humanSize(e.length), 12) + e.change.rawValue)
            }
        }
        lines.append("")
        let total = diff.changedBytes
        lines.append("Changed: \(Formatted.humanSize(total)) (\(total) bytes) in \(diff.extents.count) extent(s) of \(Formatted.humanSize(diff.virtualSize))")
        let kinds = diff.bytesByChange.filter { diff.contentCompared || $0.0 != .rewrittenSame }
        lines.append("  " + kinds.map { "\($0.0.rawValue) \(Formatted.humanSize($0.1))" }.joined(separator: ", "))
        if diff.toSize != diff.fromSize && diff.fromSize > 0 {
            lines.append("Sizes differ: \(diff.from.terminalSafe) is \(diff.fromSize) bytes, \(diff.to.terminalSafe) \(diff.toSize) bytes (past its end a state reads as zeros)")
        }
        if !diff.findings.isEmpty {
            lines.append("")
            lines.append("Findings (their ranges count as changed):")
            for f in diff.findings { lines.append("  \(f.description.terminalSafe)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension DiffReport {
    /// Left-aligns `s` in `width` columns (one space at least after it).
    static func column(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
