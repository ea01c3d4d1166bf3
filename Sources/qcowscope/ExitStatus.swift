import Analysis
import ArgumentParser
import Qcow2

/// The exit status every command follows, so a script can tell a complete report from a partial
/// one without parsing it (README, "Exit status"):
///
/// - 0: the report is complete, and nothing on the way was an error (warnings are allowed).
/// - 1: nothing useful could be read: the file cannot be opened or is not a qcow2 image, or the
///   structure the report starts from cannot be read. Nothing is printed on standard output.
/// - 2: a report was printed, but part of the image could not be read or is damaged; standard
///   error names the first error, its structure and file offset, and the report lists them.
/// - 3: `check` only: leaked clusters and nothing worse.
///
/// `check` keeps `qemu-img check`'s meaning for its own statuses (issue 3): 1 also when its report
/// was printed but part of the check could not be done (check-errors), 2 corruptions, 3 leaks.
/// The two rules agree: 2 is damage and 1 is "could not read" in both; only `check` prints a
/// report with 1, because qemu-img does.
enum ExitStatus {
    static let complete: Int32 = 0
    static let nothingUseful: Int32 = 1
    static let incomplete: Int32 = 2

    /// The help text every command repeats (its `--help` discussion ends with it).
    static let help = """
        Exit status: 0 the report is complete; 2 it was printed but part of the image could not be read or is \
        damaged (standard error names the first error and its offset); 1 nothing useful could be read (nothing \
        is printed).
        """

    /// Ends a command whose report was printed: returns for 0, or names the first error on standard
    /// error and exits 2. `errors` are descriptions of error findings ("structure at 0x…: what").
    static func finish(_ name: String, errors: some Sequence<String>) throws {
        var iterator = errors.makeIterator()
        guard let first = iterator.next() else { return }
        let more = iterator.next() != nil
        printError("qcowscope: \(name.terminalSafe): the report is incomplete or the image is damaged: \(first)"
                   + (more ? " (and more errors; `qcowscope check` lists them)" : ""))
        throw ExitCode(incomplete)
    }

    /// Error findings, as ``finish(_:errors:)`` takes them.
    static func errors(_ findings: [Finding]) -> some Sequence<String> {
        findings.lazy.filter { $0.severity == .error }.map { "\($0.structure.rawValue) at \(hex($0.offset)): \($0.message)" }
    }

    /// The scan's error findings (corruptions, check errors, damage found opening the image).
    static func errors(_ analysis: ImageAnalysis) -> some Sequence<String> {
        analysis.findings.sortedSamples.lazy.filter { $0.severity == .error }
            .map { "\($0.kind.rawValue) at \(hex($0.offset)): \($0.message)" }
    }
}
