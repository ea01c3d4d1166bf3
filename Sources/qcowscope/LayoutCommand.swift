import Analysis
import ArgumentParser
import Qcow2
import Reports

/// `qcowscope layout`: the host file as runs of clusters by role.
struct LayoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layout",
        abstract: "Show the image file as runs of clusters by role (header, L1, L2, refcounts, data, free, ...).",
        discussion: """
            Every host cluster gets one role: header, l1, l2, refcount-table, refcount-block, snapshot-table, \
            snapshot-l1, snapshot-l2, bitmap-directory, bitmap-table, bitmap-data, crypto-header, data (current disk \
            only), data-shared (current disk and snapshots), snapshot-data (snapshots only), compressed, free, leaked \
            or conflict (claimed twice). The text lists clusters and bytes per role, then the runs; --json streams \
            every run.

            \(ExitStatus.help)
            """)

    @OptionGroup var options: ImageOptions
    @Flag(help: "Print JSON: per-role totals and every run (offset, length, role, clusters).") var json = false
    @Option(help: "Runs listed in the text output: a number, or 'all'.") var runs = "200"

    func run() throws {
        let image = try options.open()
        let analysis = try scanOrExit(image, name: options.image)
        let report = LayoutReport(analysis: analysis, filename: options.image)
        if json {
            report.writeJSON { FileDescriptorWriter.write($0, to: 1) }
        } else {
            FileDescriptorWriter.write(report.text(maxRuns: runs == "all" ? nil : max(0, Int(runs) ?? 200)), to: 1)
        }
        try ExitStatus.finish(options.image, errors: ExitStatus.errors(analysis))
    }
}

/// Scans an image, or prints why it cannot be walked and exits 1 (nothing useful to report).
func scanOrExit(_ image: Qcow2Image, name: String) throws -> ImageAnalysis {
    do {
        return try ImageAnalysis.scan(image)
    } catch {
        printError("qcowscope: \(name.terminalSafe): \(error.description)")
        throw ExitCode(ExitStatus.nothingUseful)
    }
}
