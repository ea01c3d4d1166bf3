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

            --audit SNAPSHOT compares each bitmap's dirty extents, at its granularity, with the metadata diff from \
            the snapshot (id or name) to the active layer — for bitmaps created or cleared when the snapshot was \
            taken: changes the bitmap missed (an incremental backup from it would lose them) and dirty ranges with no \
            change (harmless, wasted I/O). Verdicts: complete (every change marked), missed-changes, inconsistent \
            (nothing missed, but QEMU refuses the bitmap: in-use or damaged), unreadable (not decoded).

            Example:
              qcowscope bitmaps vm.qcow2 --audit before-backup
              qcowscope bitmaps vm.qcow2 --audit 1 --json | jq '.bitmaps[] | {name, verdict, "missed-bytes"}'

            JSON with --audit: {"bitmaps": [{"name", "missed-extents": [{"start", "length"}], "missed-bytes", \
            "spurious-bytes", "verdict", "granularity", "dirty-bytes", "changed-bytes", "spurious-extents"}], \
            "snapshot", "changed-bytes", "findings"}.

            \(ExitStatus.help) An in-use bitmap is a warning, not an error; a missed change is not an error either \
            (the verdict says it).
            """)

    @OptionGroup var options: ImageOptions
    @Flag(name: .customLong("json"), help: "Print JSON: {\"bitmaps\": [...]} with name, flags, granularity, table, dirty extents and findings.")
    var jsonFlag = false
    @OptionGroup var outputFormat: OutputFormatOption
    var json: Bool { outputFormat.json(jsonFlag) }
    @Option(help: "Audit the bitmaps against the changes since this snapshot (id or name).") var audit: String?

    func run() throws {
        let image = try options.open()
        if let audit { return try runAudit(image, snapshot: audit) }
        let report = BitmapsReport(image: image)
        FileDescriptorWriter.write(json ? report.renderedJSON() + "\n" : report.text(), to: 1)
        try ExitStatus.finish(options.image, errors: ExitStatus.errors(report.findings + report.bitmaps.flatMap(\.findings)))
    }
}

extension BitmapsCommand {
    /// `--audit SNAPSHOT`: the bitmaps against the metadata diff from the snapshot to active.
    func runAudit(_ image: Qcow2Image, snapshot: String) throws {
        let chain = BackingChain.open(top: image)
        let (snapshots, snapshotFindings) = image.readSnapshots()
        let diff: MetadataDiff
        do {
            let from = try DiffState.resolve(snapshot, chain: chain, snapshots: snapshots, limits: options.limits)
            diff = try MetadataDiff.compute(from: from, to: try DiffState.active(chain))
        } catch {
            printError("qcowscope: \(options.image.terminalSafe): \(error.description)")
            throw ExitCode(ExitStatus.nothingUseful)
        }
        let (bitmaps, bitmapFindings) = BitmapExtents.decodeAll(image)
        let findings = snapshotFindings + bitmapFindings + diff.findings
        let report = BitmapAuditReport(bitmaps: bitmaps, diff: diff, snapshot: snapshot, filename: options.image, findings: findings)
        FileDescriptorWriter.write(json ? report.json().rendered() + "\n" : report.text(), to: 1)
        try ExitStatus.finish(options.image, errors: ExitStatus.errors(findings + bitmaps.flatMap(\.findings)))
    }
}
