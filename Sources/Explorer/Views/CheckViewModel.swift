import Analysis
import Qcow2
import Reports

/// The check view's content: `qemu-img check`'s summary (the very lines `qcowscope check`
/// prints: ``CheckReport/summary``), then the findings grouped by kind — a header row with the
/// exact count and how QEMU counts it, then the kept samples (the scan keeps the first
/// ``FindingLog/samplesPerKind`` of each kind) — and why QEMU would refuse to check, if it would.
public struct CheckViewModel: Sendable {
    public enum Row: Sendable, Hashable {
        case group(kind: Finding.Kind, count: Int, counting: Finding.Counting?, shown: Int)
        case finding(Finding)
        /// A line of text (could-not-check reasons).
        case note(String, Finding.Severity)
    }

    /// The summary lines, as `qcowscope check` prints them.
    public let summary: [String]
    public let headline: String
    public let severity: Finding.Severity?
    public let rows: [Row]

    /// Built once per scan result (``ExplorerResults/check``), not per frame or key.
    public init(analysis: ImageAnalysis, filename: String, chain: BackingChain? = nil) {
        summary = CheckReport(analysis: analysis, filename: filename).summary.map(\.text)
        headline = CheckSummary.line(analysis, chain: chain)
        severity = CheckSummary.severity(analysis)
        var rows: [Row] = analysis.couldNotCheck.map { .note("QEMU would not check this image: \($0.terminalSafe)", .error) }
        let findings = analysis.findings
        let samples = findings.sortedSamples
        var k = 0
        for kind in Finding.Kind.allCases {
            let n = findings.count(of: kind)
            guard n > 0 else { continue }
            var ofKind: [Finding] = []
            while k < samples.count, samples[k].kind == kind {
                ofKind.append(samples[k])
                k += 1
            }
            rows.append(.group(kind: kind, count: n, counting: ofKind.first?.counting, shown: ofKind.count))
            rows += ofKind.map(Row.finding)
        }
        self.rows = rows
    }

    /// The host cluster a row points at: its finding's, or a group's first finding's.
    public func cluster(at index: Int) -> UInt64? {
        guard index >= 0, index < rows.count else { return nil }
        switch rows[index] {
        case .finding(let f): return f.cluster
        case .group:
            if index + 1 < rows.count, case .finding(let f) = rows[index + 1] { return f.cluster }
            return nil
        case .note: return nil
        }
    }

    /// A group header's text: "leaked-cluster · 3 · counted as leak · first 1000 shown".
    public static func groupText(kind: Finding.Kind, count: Int, counting: Finding.Counting?, shown: Int) -> String {
        var text = "\(kind.rawValue) · \(count)"
        if let counting, counting != .none { text += " · counted as \(counting.rawValue)" }
        if shown < count { text += " · first \(shown) shown" }
        return text
    }
}
