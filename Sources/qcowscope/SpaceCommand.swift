import Analysis
import ArgumentParser
import Dispatch
import Qcow2
import Reports
import Synchronization

/// `qcowscope space`: where the image file's bytes go, and what the guest's filesystems could give back.
struct SpaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "space",
        abstract: "Show why the image is bigger than the guest's data: the file by category, each volume, and what is reclaimable.",
        discussion: """
            Reads the guest's partition tables (GPT, MBR, LVM2 linear volumes) and filesystems' free-space maps \
            (ext2/3/4, XFS, NTFS, FAT, swap) straight through the qcow2 mapping, read-only, without booting or \
            mounting anything. The file size is split into categories that add up to it exactly (metadata, guest \
            data in use, guest data the filesystem calls free, outside every volume, in volumes not analysed, held \
            only by snapshots, preallocated, leaked, free clusters, damaged); each volume shows its size, used and \
            free space, the bytes allocated in this file (its active layer; backing files are not counted) and the \
            reclaimable bytes: allocated clusters (subclusters with extended L2) whose every byte in the volume is \
            free in the filesystem. Then what to do: discard in the guest (fstrim) and `qemu-img convert`, or \
            delete a snapshot.

            Example:
              qcowscope space vm.qcow2
              qcowscope space --json vm.qcow2 | jq '.volumes[] | {partition, filesystem, "reclaimable-bytes"}'

            With --json: filename, virtual-size, file-size, cluster-size, reclaimable-bytes, outside-volumes-bytes, \
            breakdown, volumes (start, length, table, partition, type, filesystem, label, uuid, block-size, \
            blocks, free-blocks, allocated-bytes, reclaimable-bytes, segments for LVM, reclaimable-extents), findings.

            \(ExitStatus.help)
            """)

    @OptionGroup var options: ImageOptions
    @Flag(name: .customLong("json"), help: "Print JSON (keys in the discussion above).")
    var jsonFlag = false
    @OptionGroup var outputFormat: OutputFormatOption
    var json: Bool { outputFormat.json(jsonFlag) }

    func run() throws {
        let image = try options.open()
        let chain = BackingChain.open(top: image)
        // The guest side (partition tables, filesystems, one walk of the active L2 tables) needs
        // no scan: it runs on a second thread while this one scans, and the breakdown joins them.
        let guest = Mutex<Result<VolumeUsage, FormatError>?>(nil)
        let done = DispatchGroup()
        DispatchQueue.global(qos: .userInitiated).async(group: done) {
            let result = Result { () throws(FormatError) -> VolumeUsage in try VolumeUsage.read(chain: chain) }
            guest.withLock { $0 = result }
        }
        let scanned = Result { () throws(ScanError) -> ImageAnalysis in try ProgressLine.scan(image, enabled: !json) }
        done.wait()
        let analysis: ImageAnalysis
        let usage: VolumeUsage
        do {
            analysis = try scanned.get()
            guard let result = guest.withLock({ $0 }) else { throw FormatError(.guestDisk, at: 0, "the guest was not read") }
            usage = try result.get()
        } catch {
            printError("qcowscope: \(options.image.terminalSafe): \(error)")
            throw ExitCode(ExitStatus.nothingUseful)
        }
        let report = SpaceReport(analysis: analysis, usage: usage, filename: options.image,
                                 imageFindings: image.findings + chain.findings)
        FileDescriptorWriter.write(json ? report.json().rendered() + "\n" : report.text(), to: 1)
        try ExitStatus.finish(options.image, errors: Array(ExitStatus.errors(report.findings)) + Array(ExitStatus.errors(analysis)))
    }
}
