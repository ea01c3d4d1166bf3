import Qcow2
import Analysis
import Qcow2
import Reports

/// The header view's health line: what the header and the chain say at once (the dirty and
/// corrupt bits, bitmaps left in use, a backing file that is missing) before what the check
/// counts (``CheckSummary``) once the scan is done: `dirty, backing file missing: base.qcow2`.
public enum HealthSummary {
    /// The line and how bad it is (nil when clean).
    public static func line(_ data: ExplorerData) -> (text: String, severity: Finding.Severity?) {
        var parts: [(String, Finding.Severity)] = []
        let h = data.header
        if h.isCorrupt { parts.append(("marked corrupt (incompatible bit 1)", .error)) }
        if h.isDirty { parts.append(("dirty (incompatible bit 0)", .warning)) }
        let inUse = data.info.bitmaps.filter(\.isInUse).count
        if inUse > 0 { parts.append(("\(inUse == 1 ? "1 bitmap" : "\(inUse) bitmaps") in use (not saved cleanly)", .warning)) }
        if let name = data.missingBackingFile { parts.append(("backing file missing: \(name)", .error)) }
        let check: (String, Finding.Severity?)
        if let analysis = data.analysis {
            check = (CheckSummary.line(analysis, chain: data.chain), CheckSummary.severity(analysis))
        } else {
            check = (data.scanError == nil ? "checking…" : "the check could not run", data.scanError == nil ? nil : .error)
        }
        // "clean" only when nothing else was said; the missing backing file said once.
        let repeated = check.0.hasPrefix("clean") || check.0.hasPrefix("backing file missing")
        let checkText = parts.isEmpty || !repeated ? [check.0] : []
        let severities = parts.map(\.1) + [check.1].compactMap { $0 }
        let worst: Finding.Severity? = severities.contains(.error) ? .error : severities.contains(.warning) ? .warning : nil
        return ((parts.map(\.0) + checkText).joined(separator: ", "), worst)
    }
}

extension ExplorerData {
    /// The escaped name of the backing file that does not exist (``BackingChain/Stop/missing(_:)``), or nil.
    public var missingBackingFile: String? {
        if case .missing(let name)? = chain.stop { return name }
        return nil
    }
}
