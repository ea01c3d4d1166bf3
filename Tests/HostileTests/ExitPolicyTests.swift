import Testing

/// The exit policy checker itself (Harness/ExitPolicy.swift), on made-up runs: the corpus suites
/// pass only if it would have caught a command breaking the policy.
@Suite struct ExitPolicyTests {
    private func run(_ arguments: [String], _ status: Int32, stdout: String = "", stderr: String = "") -> RunResult {
        RunResult(arguments: arguments, status: status, signal: nil, stdout: Array(stdout.utf8),
                  stderr: Array(stderr.utf8), seconds: 0)
    }

    @Test func reportCommandsFollowThePolicy() {
        #expect(ExitPolicy.problems(run(["layout", "x"], 0, stdout: "report\n")).isEmpty)
        #expect(ExitPolicy.problems(run(["layout", "x"], 2, stdout: "report\n", stderr: "qcowscope: x: damaged\n")).isEmpty)
        #expect(ExitPolicy.problems(run(["layout", "x"], 1, stderr: "qcowscope: x: not qcow2\n")).isEmpty)
        // Broken: 1 with a report, 2 without one or without saying why, 0 with nothing, 3 outside check.
        #expect(!ExitPolicy.problems(run(["map", "x"], 1, stdout: "[]\n", stderr: "e\n")).isEmpty)
        #expect(!ExitPolicy.problems(run(["map", "x"], 2, stderr: "e\n")).isEmpty)
        #expect(!ExitPolicy.problems(run(["map", "x"], 2, stdout: "[]\n")).isEmpty)
        #expect(!ExitPolicy.problems(run(["info", "x"], 0)).isEmpty)
        #expect(!ExitPolicy.problems(run(["frag", "x"], 3, stdout: "r\n", stderr: "e\n")).isEmpty)
    }

    @Test func checkStatusFollowsItsCounts() {
        let json = { (errors: Int, corruptions: Int, leaks: Int) in
            "{\"check-errors\": \(errors), \"corruptions\": \(corruptions), \"leaks\": \(leaks)}"
        }
        #expect(ExitPolicy.problems(run(["check", "--json", "x"], 0, stdout: json(0, 0, 0))).isEmpty)
        #expect(ExitPolicy.problems(run(["check", "--json", "x"], 1, stdout: json(2, 5, 1))).isEmpty)
        #expect(ExitPolicy.problems(run(["check", "--json", "x"], 2, stdout: json(0, 5, 1))).isEmpty)
        #expect(ExitPolicy.problems(run(["check", "--json", "x"], 3, stdout: json(0, 0, 1))).isEmpty)
        #expect(!ExitPolicy.problems(run(["check", "--json", "x"], 3, stdout: json(0, 1, 1))).isEmpty)
        #expect(!ExitPolicy.problems(run(["check", "--json", "x"], 0, stdout: json(1, 0, 0))).isEmpty)
        #expect(!ExitPolicy.problems(run(["check", "x"], 2)).isEmpty)
    }

    @Test func nothingReadableForInfoMeansNothingReadableForAll() {
        let runs = [run(["info", "img"], 1, stderr: "e\n"), run(["map", "img"], 1, stderr: "e\n"),
                    run(["info", "ok"], 0, stdout: "r\n"), run(["layout", "ok"], 1, stderr: "e\n")]
        #expect(ExitPolicy.consistency(runs).isEmpty)
        #expect(ExitPolicy.consistency(runs + [run(["layout", "img"], 2, stdout: "r\n", stderr: "e\n")]).count == 1)
    }
}
