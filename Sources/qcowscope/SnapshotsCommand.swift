import Analysis
import ArgumentParser
import Qcow2
import Reports

/// `qcowscope snapshots`: the snapshot table with what each snapshot costs.
struct SnapshotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshots",
        abstract: "List internal snapshots with the space each one references, owns alone and shares.",
        discussion: """
            exclusive-bytes is what deleting that snapshot alone would free (its L1 table, the L2 tables and data \
            clusters nothing else references); parent is the earlier snapshot it shares the most clusters with. \
            `current` is the active disk. With --json each snapshot also carries the keys of `qemu-img info`.

            \(ExitStatus.help)

            Example:
              qcowscope snapshots vm.qcow2
              qcowscope snapshots --json vm.qcow2 | jq '.snapshots[].name'
            """)

    @OptionGroup var options: ImageOptions
    @Flag(name: .customLong("json"), help: "Print JSON: {\"snapshots\": [...], \"current\": {...}}.")
    var jsonFlag = false
    @OptionGroup var outputFormat: OutputFormatOption
    var json: Bool { outputFormat.json(jsonFlag) }

    func run() throws {
        let image = try options.open()
        let analysis = try scanOrExit(image, name: options.image, progress: !json)
        let report = SnapshotsReport(analysis: analysis)
        FileDescriptorWriter.write(json ? report.json().rendered() + "\n" : report.text(), to: 1)
        try ExitStatus.finish(options.image, errors: ExitStatus.errors(analysis))
    }
}
