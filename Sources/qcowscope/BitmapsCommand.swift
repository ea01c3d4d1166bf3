import Analysis
import ArgumentParser
import Qcow2
import Reports

/// `qcowscope bitmaps`: the persistent dirty bitmaps and the guest ranges each marks dirty.
struct BitmapsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bitmaps",
        abstract: "List the persistent dirty bitmaps and the guest ranges each one marks dirty.",
        discussion: """
            The dirty ranges are the ones `qemu-nbd -r -B NAME` exports as qemu:dirty-bitmap:NAME. Bitmaps QEMU \
            considers inconsistent (flag in-use set by an unclean shutdown) are decoded too and marked: \
            qemu-nbd refuses to export them.

            \(ExitStatus.help) An in-use bitmap is a warning, not an error.
            """)

    @OptionGroup var options: ImageOptions
    @Flag(help: "Print JSON: {\"bitmaps\": [...]} with name, flags, granularity, table, dirty ranges and findings.")
    var json = false

    func run() throws {
        let image = try options.open()
        let report = BitmapsReport(image: image)
        FileDescriptorWriter.write(json ? report.renderedJSON() + "\n" : report.text(), to: 1)
        try ExitStatus.finish(options.image, errors: ExitStatus.errors(report.findings + report.bitmaps.flatMap(\.findings)))
    }
}
