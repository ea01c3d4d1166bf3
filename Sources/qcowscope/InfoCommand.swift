import ArgumentParser
import Qcow2
import Reports

/// `qcowscope info`: what `qemu-img info` says about an image, and the structures behind it.
/// The report itself lives in Reports (`InfoReport`) so tests call it directly; this stays thin.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe an image: header, features, extensions, snapshots, bitmaps, encryption, backing chain.",
        discussion: """
            With --json, every key `qemu-img info --output=json` (QEMU 7.2) prints is there with the same value, \
            followed by qcowscope's own keys: header (each field with its offset), header-extensions, features, \
            backing-chain and findings. Image text is escaped before it reaches the terminal.

            \(ExitStatus.help) A header that can be read is always shown.

            Example:
              qcowscope info vm.qcow2
              qcowscope info --backing-chain --output=json overlay.qcow2
            """)

    @OptionGroup var options: ImageOptions
    @Flag(name: .customLong("json"), help: "Print JSON compatible with `qemu-img info --output=json`.")
    var jsonFlag = false
    @OptionGroup var outputFormat: OutputFormatOption
    var json: Bool { outputFormat.json(jsonFlag) }
    @Flag(name: .customLong("backing-chain"), help: "Describe every image of the backing chain, top first.")
    var backingChain = false

    func run() throws {
        let image = try options.open()
        let chain = BackingChain.open(top: image)
        // Shown under the path it was opened with: the argument's own bytes, escaped in text.
        let output: String
        let findings: [Finding]
        if backingChain {
            let reports = InfoReport.chain(chain)
            output = json ? InfoReport.chainJSON(reports).rendered() + "\n" : InfoReport.text(reports)
            findings = reports.flatMap(\.findings)
        } else {
            let report = InfoReport(image: image, chain: chain)
            output = json ? report.json().rendered() + "\n" : report.text()
            findings = report.findings
        }
        FileDescriptorWriter.write(output, to: 1)
        try ExitStatus.finish(options.image, errors: ExitStatus.errors(findings))
    }
}
