import Analysis
import ArgumentParser
import Pictures
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

            --picture FILE.png draws the host map instead: one pixel (or block) per group of host clusters in \
            the explorer's role colours (a group takes its dominant role, darker the more of it is free), with a \
            legend of the roles and their cluster counts. The same image gives the same bytes.

            \(ExitStatus.help)

            Example:
              qcowscope layout vm.qcow2 --runs 20
              qcowscope layout --json vm.qcow2 | jq .totals
              qcowscope layout vm.qcow2 --picture host.png --curve hilbert --width 512
            """)

    @OptionGroup var options: ImageOptions
    @Flag(name: .customLong("json"), help: "Print JSON: per-role totals and every run (offset, length, role, clusters).")
    var jsonFlag = false
    @OptionGroup var outputFormat: OutputFormatOption
    var json: Bool { outputFormat.json(jsonFlag) }
    @Option(help: "Runs listed in the text output: a number, or 'all'.") var runs = "200"
    @OptionGroup var picture: MapPictureOptions

    func validate() throws { try picture.check(image: options.image, json: json) }

    func run() throws {
        let image = try options.open()
        let analysis = try scanOrExit(image, name: options.image, progress: !json)
        let report = LayoutReport(analysis: analysis, filename: options.image)
        if picture.picture != nil {
            let geometry = MapGeometry(clusters: UInt64(analysis.clusters.count), width: picture.width, curve: picture.curve)
            try picture.write(MapPicture.host(analysis, geometry: geometry, title: MapPictureOptions.title(options.image)))
        } else if json {
            report.writeJSON(bytes: { writeAll($0, to: 1) })
        } else {
            FileDescriptorWriter.write(report.text(maxRuns: runs == "all" ? nil : max(0, Int(runs) ?? 200)), to: 1)
        }
        try ExitStatus.finish(options.image, errors: ExitStatus.errors(analysis))
    }
}

/// Scans an image, or prints why it cannot be walked and exits 1 (nothing useful to report).
/// `progress`: a progress line on a terminal for a long scan (false with --json).
func scanOrExit(_ image: Qcow2Image, name: String, progress: Bool, tally: CompactSizeTally? = nil) throws -> ImageAnalysis {
    do {
        return try ProgressLine.scan(image, enabled: progress, tally: tally)
    } catch {
        printError("qcowscope: \(name.terminalSafe): \(error.description)")
        throw ExitCode(ExitStatus.nothingUseful)
    }
}
