import Formatting
import Analysis

/// `qcowscope layout`: the host file as runs of clusters by role, with counts and bytes per role
/// — the data behind the explorer's host heat map.
///
/// JSON: `filename`, `cluster-size`, `file-size`, `clusters`, `roles` (role, clusters, bytes, in
/// role order, roles present only) and `runs` (offset, length, role, clusters; file order). The
/// runs are streamed, so an image with millions of runs never builds them all in memory.
/// Lengths are whole clusters; the last one may end past the end of the file.
public struct LayoutReport: Sendable {
    public let analysis: ImageAnalysis
    public let filename: String

    public init(analysis: ImageAnalysis, filename: String) {
        self.analysis = analysis
        self.filename = filename
    }

    /// Clusters and bytes per role present.
    public func roleTotals() -> [(role: ClusterRole, clusters: UInt64, bytes: UInt64)] {
        let counts = analysis.roleCounts()
        return ClusterRole.allCases.compactMap { role in
            let n = counts[Int(role.rawValue)]
            return n == 0 ? nil : (role, n, n * analysis.clusterSize)
        }
    }

    func head() -> [(String, JSONValue?)] {
        [
            ("filename", .string(filename)),
            ("cluster-size", .uint(analysis.clusterSize)),
            ("file-size", .uint(analysis.fileSize)),
            ("clusters", .uint(UInt64(analysis.clusters.count))),
            ("roles", .array(roleTotals().map { t in
                jsonObject([("role", .string(t.role.jsonName)), ("clusters", .uint(t.clusters)), ("bytes", .uint(t.bytes))])
            })),
        ]
    }

    /// Writes the JSON document through `output` in pieces (4-space indentation like the rest).
    public func writeJSON(_ output: (String) -> Void) {
        withoutActuallyEscaping(output) { output in
            writeJSON(bytes: { output(String(decoding: $0, as: UTF8.self)) })
        }
    }

    /// Writes the JSON document through `output` in chunks of bytes (about 1 MiB): the runs go
    /// straight into one byte buffer, numbers formatted in place, so the millions of runs of a
    /// fragmented image cost no string each.
    public func writeJSON(bytes output: (UnsafeRawBufferPointer) -> Void) {
        withoutActuallyEscaping(output) { output in
            let stream = ByteStream(output: output)
            var head = jsonObject(head()).rendered()
            head.removeLast(2)                    // "\n}": the runs follow
            stream.append(string: head)
            stream.append(",\n    \"runs\": [")
            // Per role, the text between the length and the clusters: its name in place, all of
            // them in one array read through one pointer (an array per role cost a retain and a
            // release per run: a fragmented image has hundreds of thousands of runs).
            var middles: [UInt8] = []
            var spans: [(start: Int, count: Int)] = []
            for role in ClusterRole.allCases {
                let text = Array(", \"role\": \"\(role.jsonName)\", \"clusters\": ".utf8)
                spans.append((middles.count, text.count))
                middles += text
            }
            var first = true
            let cs = analysis.clusterSize
            middles.withUnsafeBufferPointer { middles in spans.withUnsafeBufferPointer { spans in
                guard let texts = middles.baseAddress else { return }
                analysis.forEachRoleRun { run in
                    if first { stream.append("\n        {\"offset\": ") } else { stream.append(",\n        {\"offset\": ") }
                    stream.appendDecimal(UInt64(run.start) * cs)
                    stream.append(", \"length\": ")
                    stream.appendDecimal(UInt64(run.count) * cs)
                    let span = spans[Int(run.role.rawValue)]
                    stream.append(texts + span.start, count: span.count)
                    stream.appendDecimal(UInt64(run.count))
                    stream.append(byte: UInt8(ascii: "}"))
                    first = false
                }
            } }
            if first { stream.append("]\n}\n") } else { stream.append("\n    ]\n}\n") }
            stream.flush()
        }
    }

    /// The whole JSON document as one string (tests, small images).
    public func json() -> String {
        var out = ""
        writeJSON { out += $0 }
        return out
    }

    /// Per-role totals, then up to `maxRuns` runs (all when nil).
    public func text(maxRuns: Int? = 200) -> String {
        let cs = analysis.clusterSize
        var out = "\(filename.terminalSafe): \(analysis.fileSize) bytes, \(analysis.clusters.count) clusters of \(cs) bytes\n\n"
        let totals = roleTotals()
        let rows = [["role", "clusters", "bytes", "share"]] + totals.map { t in
            [t.role.jsonName, String(t.clusters), Formatted.humanSize(t.bytes),
             CheckReport.fixed(Double(t.clusters) * 100 / Double(max(analysis.clusters.count, 1)), decimals: 1) + "%"]
        }
        out += InfoFormatting.table(rows).joined(separator: "\n") + "\n\nRuns:\n"
        var shown = 0
        var total = 0
        analysis.forEachRoleRun { run in
            total += 1
            guard maxRuns.map({ shown < $0 }) ?? true else { return }
            shown += 1
            let start = UInt64(run.start) * cs, length = UInt64(run.count) * cs
            out += "  \(Self.hex16(start))-\(Self.hex16(start + length - 1))  \(InfoFormatting.rightPad(Formatted.humanSize(length), 10))  \(run.role.jsonName)\n"
        }
        if total > shown { out += "  ... \(total - shown) more runs (--runs all shows them)\n" }
        return out
    }

    static func hex16(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }
}
