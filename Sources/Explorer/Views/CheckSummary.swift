import Analysis
import Formatting
import Qcow2
import Reports

/// The image's health in one line, from the same counts `qcowscope check` and `qemu-img check`
/// report: "clean", or what is wrong ("2 corruptions, 1 leak"). For the header view and the
/// check view's title.
public enum CheckSummary {
    /// When the only error is that QEMU would not open the image because its backing file is
    /// missing, the line says that ("backing file missing: base.qcow2").
    public static func line(_ analysis: ImageAnalysis, chain: BackingChain? = nil) -> String {
        let c = analysis.check
        if c.corruptions == 0, c.leaks == 0, analysis.couldNotCheck.count == 1, c.checkErrors == 1,
           case .missing(let name)? = chain?.stop {
            return "backing file missing: \(name)"
        }
        var parts: [String] = []
        if c.corruptions > 0 { parts.append(plural(c.corruptions, "corruption")) }
        if c.leaks > 0 { parts.append(plural(c.leaks, "leak")) }
        if c.checkErrors > 0 { parts.append(plural(c.checkErrors, "check error")) }
        if !analysis.couldNotCheck.isEmpty { parts.append("QEMU would not check it") }
        if parts.isEmpty {
            let other = analysis.findings.total
            return other == 0 ? "clean" : "clean (\(plural(UInt64(other), "note")))"
        }
        return parts.joined(separator: ", ")
    }

    /// How bad the line is: nil when clean, else the severity to colour it with.
    public static func severity(_ analysis: ImageAnalysis) -> Finding.Severity? {
        let c = analysis.check
        if c.corruptions > 0 || c.checkErrors > 0 || !analysis.couldNotCheck.isEmpty { return .error }
        if c.leaks > 0 { return .warning }
        return nil
    }

    static func plural(_ n: UInt64, _ word: String) -> String { Formatted.count(n, word) }
}
