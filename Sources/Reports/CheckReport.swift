import Analysis
import Qcow2

/// `qcowscope check`: the numbers of `qemu-img check` (qemu 7.2) and the findings behind them.
///
/// JSON carries qemu-img's keys in qemu-img's order (its QDict hash order) and only when
/// qemu-img prints them (zero counters are left out, check-errors always shown), then
/// qcowscope's `findings` and `finding-counts`. Text reads like qemu-img's, then lists the
/// findings grouped by kind.
public struct CheckReport: Sendable {
    public let analysis: ImageAnalysis
    /// The file name as given on the command line (qemu-img prints it as given).
    public let filename: String

    public init(analysis: ImageAnalysis, filename: String) {
        self.analysis = analysis
        self.filename = filename
    }

    public var counts: CheckCounts { analysis.check }
    /// `qemu-img check`'s exit status: 0 clean, 1 not checked, 2 corrupt, 3 leaks only.
    public var exitStatus: Int32 { counts.exitStatus }

    /// qemu-img's keys only, in qemu-img's order.
    public func qemuJSON() -> [(String, JSONValue?)] {
        let c = counts
        func optional(_ v: UInt64) -> JSONValue? { v == 0 ? nil : .uint(v) }
        return [
            ("image-end-offset", optional(c.imageEndOffset)),
            ("compressed-clusters", optional(c.compressedClusters)),
            ("total-clusters", optional(c.totalClusters)),
            ("corruptions", optional(c.corruptions)),
            ("check-errors", .uint(c.checkErrors)),
            ("leaks", optional(c.leaks)),
            ("allocated-clusters", optional(c.allocatedClusters)),
            ("filename", .string(filename)),
            ("format", .string("qcow2")),
            ("fragmented-clusters", optional(c.fragmentedClusters)),
        ]
    }

    public func json() -> JSONValue {
        let findings = analysis.findings
        var pairs = qemuJSON()
        if !analysis.couldNotCheck.isEmpty {
            pairs.append(("could-not-check", .array(analysis.couldNotCheck.map { .string($0) })))
        }
        pairs.append(("findings", .array(findings.sortedSamples.map(\.json))))
        pairs.append(("finding-counts", Self.counts(findings)))
        pairs.append(inUsePair(analysis.inUse))
        pairs += inUseJSON()
        return jsonObject(pairs)
    }

    /// `finding-counts`: the exact count of each kind found.
    static func counts(_ findings: FindingLog) -> JSONValue {
        jsonObject(Finding.Kind.allCases.compactMap { kind -> (String, JSONValue?)? in
            let n = findings.count(of: kind)
            return n == 0 ? nil : (kind.rawValue, .uint(UInt64(n)))
        })
    }

    /// qemu-img's human summary, then the findings by kind (at most `perKind` lines each).
    public func text(perKind: Int = 20) -> String {
        var out = ""
        for line in summary { out += (line.paragraph ? "\n" : "") + line.text + "\n" }
        for reason in analysis.couldNotCheck { out += "QEMU would not check this image: \(reason.terminalSafe)\n" }
        out += inUseText
        out += findingsText(perKind: perKind)
        return out
    }

    /// One line of qemu-img's human summary; `paragraph` when qemu-img puts a blank line before it.
    public struct SummaryLine: Sendable, Hashable {
        public var text: String
        public var paragraph: Bool
    }

    /// qemu-img's human summary (`qemu-img check` without `--output=json`), as values the
    /// explorer's check view shows too.
    public var summary: [SummaryLine] {
        let c = counts
        var lines: [SummaryLine] = []
        func add(_ text: String, paragraph: Bool = false) { lines.append(SummaryLine(text: text, paragraph: paragraph)) }
        if c.corruptions == 0 && c.leaks == 0 && c.checkErrors == 0 {
            add("No errors were found on the image.")
        } else {
            if c.corruptions > 0 {
                add("\(c.corruptions) errors were found on the image.", paragraph: true)
                add("Data may be corrupted, or further writes to the image may corrupt it.")
            }
            if c.leaks > 0 {
                add("\(c.leaks) leaked clusters were found on the image.", paragraph: true)
                add("This means waste of disk space, but no harm to data.")
            }
            if c.checkErrors > 0 {
                add("\(c.checkErrors) internal errors have occurred during the check.", paragraph: true)
            }
        }
        if c.totalClusters != 0 && c.allocatedClusters != 0 {
            let a = Double(c.allocatedClusters)
            add("\(c.allocatedClusters)/\(c.totalClusters) = \(Self.fixed(a * 100 / Double(c.totalClusters)))% allocated, "
                + "\(Self.fixed(Double(c.fragmentedClusters) * 100 / a))% fragmented, "
                + "\(Self.fixed(Double(c.compressedClusters) * 100 / a))% compressed clusters")
        }
        if c.imageEndOffset != 0 { add("Image end offset: \(c.imageEndOffset)") }
        return lines
    }

    /// The findings grouped by kind, each with its count and how qemu-img counts it.
    public func findingsText(perKind: Int) -> String {
        let findings = analysis.findings
        guard findings.total > 0 else { return "" }
        var out = "\nFindings (\(findings.total)):\n"
        let samples = findings.sortedSamples
        for kind in Finding.Kind.allCases {
            let n = findings.count(of: kind)
            guard n > 0 else { continue }
            let ofKind = samples.filter { $0.kind == kind }
            let counting = ofKind.first.map { $0.counting == .none ? "" : ", counted as \($0.counting.rawValue)" } ?? ""
            out += "  \(kind.rawValue) (\(n)\(counting)):\n"
            for f in ofKind.prefix(perKind) {
                out += "    \(hex(f.offset))\(f.cluster.map { " cluster \($0)" } ?? ""): \(f.message.terminalSafe)\n"
            }
            if n > min(perKind, ofKind.count) { out += "    ... \(n - min(perKind, ofKind.count)) more\n" }
        }
        return out
    }

    /// `%0.2f` without Foundation.
    static func fixed(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return "nan" }
        var factor = 1.0
        for _ in 0..<decimals { factor *= 10 }
        let scaled = (abs(value) * factor).rounded()
        let whole = UInt64(scaled / factor)
        let fraction = UInt64(scaled) - whole * UInt64(factor)
        let digits = String(fraction)
        let padded = String(repeating: "0", count: max(0, decimals - digits.count)) + digits
        return (value < 0 && scaled > 0 ? "-" : "") + String(whole) + (decimals > 0 ? "." + padded : "")
    }
}
