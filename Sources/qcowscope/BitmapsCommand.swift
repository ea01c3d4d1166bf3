import Analysis
import ArgumentParser
import Qcow2
import Reports

/// `qcowscope bitmaps`: the persistent dirty bitmaps and the guest extents each marks dirty.
struct BitmapsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bitmaps",
        abstract: "List the persistent dirty bitmaps and the dirty extents of each one (guest offset and length).",
        discussion: """
            The dirty extents are the ranges `qemu-nbd -r -B NAME` exports as qemu:dirty-bitmap:NAME. Bitmaps QEMU \
            considers inconsistent (flag in-use set by an unclean shutdown) are decoded too and marked: \
            qemu-nbd refuses to export them.

            \(ExitStatus.help) An in-use bitmap is a warning, not an error.
            """)

    @OptionGroup var options: ImageOptions
    @Flag(help: "Print JSON: {\"bitmaps\": [...]} with name, flags, granularity, table, dirty extents and findings.")
    var json = false

    func run() throws {
        let image = try options.open()
        let report = BitmapsReport(image: image)
        FileDescriptorWriter.write(json ? report.renderedJSON() + "\n" : report.text(), to: 1)
        try ExitStatus.finish(options.image, errors: ExitStatus.errors(report.findings + report.bitmaps.flatMap(\.findings)))
    }
}
