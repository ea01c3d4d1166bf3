import Analysis
import ArgumentParser
import Dispatch
import Qcow2
import Reports
import Synchronization

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
        let clusterSize = image.header.clusterSize
        let sizes = CompactAdvice.clusterSizes(clusterSize)
        // The compacted size needs a walk of the guest map (the backing chain's active L2 tables).
        // An image without a backing or data file is measured from the tables the scan reads
        // (CompactSizeTally); otherwise, or when a table did not come, the walk reads them again,
        // for a local file on a second core while this one scans. (A remote image keeps one
        // reader: the two would share its block cache.)
        let chain = BackingChain.open(top: image)
        let map = Result { () throws(FormatError) -> GuestMap in try GuestMap(chain: chain) }
        let tally = image.isInUse ? nil : (try? map.get()).flatMap { CompactSizeTally(map: $0, clusterSizes: sizes) }
        let measured = Mutex<Result<CompactAdvice, FormatError>?>(nil)
        let done = DispatchGroup()
        let measure = { @Sendable in
            let result = Result { () throws(FormatError) -> CompactAdvice in
                try CompactAdvice(map: map.get(), clusterSize: clusterSize, fileSize: image.file.size)
            }
            measured.withLock { $0 = result }
        }
        let concurrent = tally == nil && image.file is ReadOnlyFile
        if concurrent { DispatchQueue.global(qos: .userInitiated).async(group: done, execute: measure) }
        let scanned = Result { () throws -> ImageAnalysis in try scanOrExit(image, name: options.image, progress: !json, tally: tally) }
        done.wait()
        let analysis = try scanned.get()
        if let sizes = tally?.result() {
            measured.withLock { $0 = .success(CompactAdvice(sizes: sizes, clusterSize: clusterSize, fileSize: image.file.size)) }
        } else if !concurrent {
            measure()
        }
        var advice: CompactAdvice?
        var measureError: String?
        switch measured.withLock({ $0 }) {
        case .success(let a): advice = a
        case .failure(let error): measureError = "cannot measure a compacted copy: \(error.description)"
        case nil: measureError = "cannot measure a compacted copy: the guest map was not walked"
        }
        let report = FragReport(analysis: analysis, filename: options.image, advice: advice)
        FileDescriptorWriter.write(json ? report.json().rendered() + "\n" : report.text(), to: 1)
        try ExitStatus.finish(options.image, errors: (measureError.map { [$0] } ?? []) + Array(ExitStatus.errors(analysis)))
    }
}
