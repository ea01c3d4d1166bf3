import Analysis
import ArgumentParser
import Qcow2
import Reports

/// `qcowscope frag`: fragmentation of the current disk, free space, and the compacted size.
struct FragCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frag",
        abstract: "Rate the fragmentation of the current disk and say what compacting it would give.",
        discussion: """
            An extent is a run of clusters consecutive in the guest and in the file; a seek is a step of a \
            sequential guest read (holes skipped) to a cluster that does not follow the previous one in the \
            file. The score applies e4defrag's curve to host jumps (where a sequential read leaves the previous host cluster) per 100 clusters (8 x ratio up to 10, then \
            80 + ratio / 5): 0-30 fine, 31-55 some, 56+ worth compacting. Compressed clusters are counted apart. \
            compact-size is what `qemu-img measure -O qcow2` reports as required (backing chain included), for its \
            default 64 KiB clusters (compact-cluster-size); compact-size-same-cluster-size keeps the image's cluster size. \
            Compacting is advised only when a copy would be smaller than the file.

            \(ExitStatus.help) A compacted size that cannot be measured is such an error.

            Example:
              qcowscope frag vm.qcow2
              qcowscope frag --json vm.qcow2
            """)

    @OptionGroup var options: ImageOptions
    @Flag(name: .customLong("json"), help: "Print JSON.")
    var jsonFlag = false
    @OptionGroup var outputFormat: OutputFormatOption
    var json: Bool { outputFormat.json(jsonFlag) }

    func run() throws {
        let image = try options.open()
        let measured = try CompactAdvice.measure(image) { tally in
            try scanOrExit(image, name: options.image, progress: !json, tally: tally)
        }
        let report = FragReport(analysis: measured.analysis, filename: options.image, advice: measured.advice)
        FileDescriptorWriter.write(json ? report.json().rendered() + "\n" : report.text(), to: 1)
        try ExitStatus.finish(options.image, errors: (measured.failure.map { [$0] } ?? []) + Array(ExitStatus.errors(measured.analysis)))
    }
}
