import Foundation

/// The exit status policy (README, "Exit status"; `qcowscope help COMMAND`), checked on every run:
///
/// - every command but `check`: 0 a complete report; 2 a report was printed but part of the image
///   could not be read or is damaged, and standard error says so; 1 nothing useful could be read,
///   and then nothing is printed on standard output;
/// - `check`: qemu-img check's statuses, each backed by its own numbers: 1 with a report means
///   check-errors, 2 corruptions, 3 leaks and no corruptions;
/// - `vet`: one status per verdict, 0 safe, 3 unsafe, 2 damaged, each with its report (the JSON's
///   `verdict` says the same); 1 the file cannot be opened, and nothing is printed.
enum ExitPolicy {
    static func problems(_ r: RunResult) -> [String] {
        guard let status = r.status, OutputChecks.allowedStatuses.contains(status), !r.timedOut else { return [] }
        let command = r.arguments.first ?? ""
        switch command {
        case "check": return check(r, status)
        case "vet": return vet(r, status)
        default: return report(r, status)
        }
    }

    /// Commands other than `check`.
    private static func report(_ r: RunResult, _ status: Int32) -> [String] {
        let printed = !r.stdout.allSatisfy { $0 == 0x20 || $0 == 0x0A }
        switch status {
        case 0: return printed ? [] : ["status 0 without a report"]
        case 1: return printed ? ["status 1 (nothing useful) yet a report on stdout: \(OutputChecks.context(r.stdout, 0, radius: 120))"] : []
        case 2:
            var out: [String] = []
            if !printed { out.append("status 2 (partial report) without a report; 1 is for nothing useful") }
            if r.stderr.isEmpty { out.append("status 2 without saying on stderr what is incomplete or damaged") }
            return out
        default: return ["status \(status) is for `check` only"]
        }
    }

    /// `check`: the status must follow from the counts it printed (JSON runs carry them).
    private static func check(_ r: RunResult, _ status: Int32) -> [String] {
        guard r.arguments.contains("--json"), !r.stdout.isEmpty else {
            if status != 1 && r.stdout.isEmpty { return ["check status \(status) without a report"] }
            return []
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(r.stdout)) as? [String: Any] else { return [] }
        func count(_ key: String) -> Int { (object[key] as? NSNumber)?.intValue ?? 0 }
        let expected: Int32 = count("check-errors") > 0 ? 1 : count("corruptions") > 0 ? 2 : count("leaks") > 0 ? 3 : 0
        guard expected == status else {
            return ["check exit status \(status) but its counts (check-errors \(count("check-errors")), corruptions "
                    + "\(count("corruptions")), leaks \(count("leaks"))) mean \(expected)"]
        }
        return []
    }

    /// `vet`: the status is the verdict's, and a report comes with every verdict.
    private static func vet(_ r: RunResult, _ status: Int32) -> [String] {
        if status == 1 { return r.stdout.isEmpty ? [] : ["vet status 1 (unreadable) yet a report on stdout"] }
        guard !r.stdout.isEmpty else { return ["vet status \(status) without a verdict"] }
        guard r.arguments.contains("--json"),
              let object = try? JSONSerialization.jsonObject(with: Data(r.stdout)) as? [String: Any] else { return [] }
        let expected: [String: Int32] = ["safe": 0, "damaged": 2, "unsafe": 3]
        let verdict = object["verdict"] as? String ?? "(none)"
        return expected[verdict] == status ? [] : ["vet exit status \(status) but its verdict is \(verdict)"]
    }

    /// Across the commands run on one image: when `info` cannot read anything (1), no other command
    /// can either — they all open the image the same way.
    static func consistency(_ results: [RunResult]) -> [String] {
        let byImage = Dictionary(grouping: results) { $0.arguments.last ?? "" }
        var out: [String] = []
        for (image, runs) in byImage.sorted(by: { $0.key < $1.key }) {
            guard let info = runs.first(where: { $0.arguments == ["info", image] }), info.status == 1 else { continue }
            // vet reads what info cannot (a file that is not qcow2 is unsafe, not unreadable).
            for r in runs where r.status != 1 && r.status != nil && r.arguments.first != "vet" {
                out.append("\(URL(fileURLWithPath: image).lastPathComponent): info exits 1 (nothing readable) but "
                           + "\(r.arguments.dropLast().joined(separator: " ")) exits \(r.status.map(String.init) ?? "-")")
            }
        }
        return out
    }
}
