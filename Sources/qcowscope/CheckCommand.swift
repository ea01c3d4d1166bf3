import Analysis
import ArgumentParser
import Qcow2
import Reports

/// `qcowscope check`: `qemu-img check`'s numbers and exit status, plus where each problem is.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check refcounts and metadata like `qemu-img check`, and say where each problem is.",
        discussion: """
            The numbers (check-errors, corruptions, leaks, image-end-offset, total/allocated/fragmented/compressed \
            clusters) and the exit status are those of `qemu-img check` (QEMU 7.2): 0 clean, 1 the check could not \
            be done (nothing is printed when the image cannot be opened; the report is printed when only part of \
            it could not be checked, counted as check-errors), 2 corruptions, 3 leaked clusters only. Nothing is ever repaired or written, and encrypted \
            images need no key (qemu-img needs one). With --json, qemu-img's keys come first, then `findings` \
            (kind, offset, cluster, severity, counts-as, message).

            Example:
              qcowscope check vm.qcow2; echo "exit $?"
              qcowscope check --json vm.qcow2 | jq .findings
            """)

    @OptionGroup var options: ImageOptions
    @Flag(name: .customLong("json"), help: "Print JSON with the keys of `qemu-img check --output=json`, then the findings.")
    var jsonFlag = false
    @OptionGroup var outputFormat: OutputFormatOption
    var json: Bool { outputFormat.json(jsonFlag) }
    @Option(name: .customLong("max-findings"), help: "Findings listed per kind in the text output.")
    var maxFindings = 20

    func run() throws {
        let image = try options.open()
        let analysis: ImageAnalysis
        do {
            analysis = try ProgressLine.scan(image, enabled: !json)
        } catch {
            printError("qcowscope: \(options.image.terminalSafe): \(error.description)")
            throw ExitCode(ExitStatus.nothingUseful)
        }
        let report = CheckReport(analysis: analysis, filename: options.image)
        FileDescriptorWriter.write(json ? report.json().rendered() + "\n" : report.text(perKind: maxFindings), to: 1)
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }
}
