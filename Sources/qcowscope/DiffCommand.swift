import Analysis
import ArgumentParser
import Qcow2
import Reports

/// `qcowscope diff`: what changed between two states of a disk, from the mapping metadata alone
/// (or, with --content, confirmed by reading the changed clusters).
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show the guest ranges that changed between two states: snapshots, the active layer, chain layers, other images.",
        discussion: """
            A state is an internal snapshot (id or name, as `qemu-img snapshot` takes them), `active` (the \
            current disk), `backing:N` (layer N of the backing chain with the layers below it: backing:1 is the \
            image's backing file), `file:PATH` (another image and its chain) or `empty` (a disk of zeros). --from \
            defaults to the newest snapshot, else the backing file, else empty; --to to active.

            Without --content the diff comes from the L1/L2 metadata alone: a guest cluster (subcluster with \
            extended L2) is unchanged when both states map it to the same host cluster of the same file, or both \
            read zeros through the same layer. L2 tables two snapshots share are skipped unread, so a diff between \
            snapshots of a terabyte image is instant. Changes: data (B reads other data there), zero (B's own \
            layer reads zeros), unallocated (B's own layer does not hold it and it reads zeros through the layers \
            below). With --content the changed clusters are read on both sides (decompressed, through the chain) \
            and the equal ones are reported as rewritten-same.

            --layers prints, for each layer of the chain and each internal snapshot, the bytes it alone provides \
            and the bytes it shadows below, and what `qemu-img commit` of the top layer would write into its base.

            Example:
              qcowscope diff vm.qcow2 --from before-upgrade
              qcowscope diff vm.qcow2 --from backing:1 --json | jq '."changed-bytes"'
              qcowscope diff overlay.qcow2 --layers

            JSON: {"from", "to", "extents": [{"start", "length", "change"}], "changed-bytes", "virtual-size", "from-size", "to-size", \
            "content-compared", "bytes-by-change", "findings"}; with --layers {"layers": [{"name", "depth", \
            "own-bytes", "shadowed-bytes", "kind"}], "commit-bytes"}.

            \(ExitStatus.help)
            """)

    @OptionGroup var options: ImageOptions
    @Option(help: "The older state (snapshot id or name, active, backing:N, file:PATH).") var from: String?
    @Option(help: "The newer state.") var to: String = "active"
    @Flag(help: "Read the changed clusters on both sides and report equal ones as rewritten-same.") var content = false
    @Flag(help: "Per-layer accounting: own and shadowed bytes, and what qemu-img commit would write.") var layers = false
    @Flag(name: .customLong("json"), help: "Print JSON (keys in the discussion above).")
    var jsonFlag = false
    @OptionGroup var outputFormat: OutputFormatOption
    var json: Bool { outputFormat.json(jsonFlag) }

    func run() throws {
        let image = try options.open()
        let chain = BackingChain.open(top: image)
        let (snapshots, snapshotFindings) = image.readSnapshots()
        if layers {
            let accounting = try orExit { () throws(FormatError) in try LayerAccounting.compute(chain: chain, snapshots: snapshots) }
            let report = LayersReport(accounting: accounting, filename: options.image)
            FileDescriptorWriter.write(json ? report.json().rendered() + "\n" : report.text(), to: 1)
            try ExitStatus.finish(options.image, errors: ExitStatus.errors(accounting.findings + snapshotFindings))
            return
        }
        let diff = try orExit { () throws(FormatError) -> MetadataDiff in
            let a: DiffState
            if let from {
                a = try DiffState.resolve(from, chain: chain, snapshots: snapshots, limits: options.limits)
            } else {
                a = try DiffState.defaultFrom(chain: chain, snapshots: snapshots)
            }
            let b = try DiffState.resolve(to, chain: chain, snapshots: snapshots, limits: options.limits)
            let metadata = try MetadataDiff.compute(from: a, to: b)
            guard content else { return metadata }
            let line = ProgressLine.make(enabled: !json)
            defer { line?.finish() }
            let total = metadata.extents.reduce(0) { $0 &+ $1.length }
            return try metadata.comparingContent(from: a, to: b, progress: line?.contentProgress(total: total) ?? { _ in true })
        }
        let report = DiffReport(diff: diff, filename: options.image)
        FileDescriptorWriter.write(json ? report.json().rendered() + "\n" : report.text(), to: 1)
        try ExitStatus.finish(options.image, errors: ExitStatus.errors(diff.findings + snapshotFindings + chain.findings))
    }

    /// Runs `body`, or prints its error and exits 1 (a state that cannot be opened: nothing useful).
    private func orExit<T>(_ body: () throws(FormatError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            printError("qcowscope: \(options.image.terminalSafe): \(error.description)")
            throw ExitCode(ExitStatus.nothingUseful)
        }
    }
}
