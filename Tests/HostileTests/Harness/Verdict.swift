import Testing

/// Judges runs against every promise and records one issue per broken run (capped, so a
/// systematic failure does not print thousands of lines), plus a summary.
enum Verdict {
    /// Problems with one run: process rules and the exit status policy, then output rules for its mode.
    static func problems(_ r: RunResult) -> [String] {
        var out = OutputChecks.process(r) + ExitPolicy.problems(r)
        if r.arguments.contains("--json") {
            // JSON is only required when the command produced output: a fatal error may print none.
            out += OutputChecks.json(r.stdout)
        } else {
            out += OutputChecks.terminalSafe(r.stdout, stream: "stdout")
        }
        out += OutputChecks.terminalSafe(r.stderr, stream: "stderr")
        return out
    }

    /// Records issues for every broken run; returns how many were broken.
    @discardableResult
    static func record(_ results: [RunResult], limit: Int = 40,
                       sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        var broken = 0
        for r in results {
            let problems = problems(r)
            guard !problems.isEmpty else { continue }
            broken += 1
            if broken <= limit {
                let stderr = OutputChecks.context(r.stderr, 0, radius: 200)
                Issue.record("qcowscope \(r.commandLine): \(problems.joined(separator: "; ")) — stderr \(stderr)",
                             sourceLocation: sourceLocation)
            }
        }
        if broken > limit {
            Issue.record("\(broken - limit) more broken runs not shown (of \(results.count))", sourceLocation: sourceLocation)
        }
        return broken
    }
}
