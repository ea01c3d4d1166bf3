#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Analysis
import Qcow2
import ArgumentParser
import Pictures
import Reports

/// `qcowscope map`: the guest map of an image and its backing chain, as `qemu-img map` prints it.
struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Show which layer of the backing chain holds each range of the virtual disk, like `qemu-img map`.",
        discussion: """
            The JSON output is byte-for-byte what `qemu-img map --output=json` (QEMU 7.2) prints: ranges with the \
            depth of the layer that answers, whether it is present, zero or data, and the host offset when there \
            is one. The default output is qemu-img's table of data ranges (Offset, Length, Mapped to, File).

            \(ExitStatus.help) Unlike qemu-img (1), a map cut short by unreadable metadata exits 2 with the \
            entries read so far (a closed JSON array), as does a table that cannot show a data range without a \
            host offset; a backing file that cannot be opened is an error too (the map reads as if it had none).

            --picture FILE.png draws the guest map instead: one pixel (or block) per group of guest clusters, \
            coloured as the explorer's guest map (data, compressed, zero, each backing depth, unallocated), with a \
            legend. The same image gives the same bytes.

            Example:
              qcowscope map vm.qcow2
              qcowscope map -U --output=json vm.qcow2 | jq '.[] | select(.data)'
              qcowscope map disk.qcow2 --picture guest.png --curve hilbert
            """)

    @OptionGroup var options: ImageOptions
    @Flag(name: .customLong("json"), help: "Print JSON identical to `qemu-img map --output=json`.")
    var jsonFlag = false
    @OptionGroup var outputFormat: OutputFormatOption
    var json: Bool { outputFormat.json(jsonFlag) }
    @OptionGroup var picture: MapPictureOptions

    func validate() throws { try picture.check(image: options.image, json: json) }

    func run() throws {
        let image = try options.open()
        let chain = BackingChain.open(top: image)
        let map: GuestMap
        do {
            map = try GuestMap(chain: chain)
        } catch {
            printError("qcowscope: \(options.image.terminalSafe): \(error.description)")
            throw ExitCode(ExitStatus.nothingUseful)
        }
        for finding in map.findings where finding.severity >= .warning {
            printError("qcowscope: \(finding.description)")
        }
        if picture.picture != nil {
            try writePicture(map)
            return
        }
        // File names come from image text (backing and data file names): escaped for the terminal.
        let names = map.layers.map { RawString.escape($0.hostRawPath) }
        var writer = MapReportWriter(format: json ? .json : .human, fileNames: names) { writeAll($0, to: 1) }
        var refusal: MapReportWriter.Refusal?
        var entries = 0
        do throws(FormatError) {
            try map.forEachEntry(strict: true) { entry in
                guard refusal == nil else { return }
                entries += 1
                do throws(MapReportWriter.Refusal) { try writer.add(entry) } catch { refusal = error }
            }
        } catch {
            let reason = "could not read the image's mapping: \(error.description)"
            // Not one entry could be read: nothing useful, nothing printed (the writer had only
            // buffered its opening bracket or heading).
            guard entries > 0 else {
                printError("qcowscope: \(options.image.terminalSafe): \(reason)")
                throw ExitCode(ExitStatus.nothingUseful)
            }
            writer.abandon()
            // qemu-img leaves the array open here; we close it so that --json output is always valid
            // JSON (the entries read so far), and stderr says why it stops early.
            if json { Array("]\n".utf8).withUnsafeBytes { writeAll($0, to: 1) } }
            try ExitStatus.finish(options.image, errors: [reason])
        }
        if let refusal {
            writer.abandon()
            try ExitStatus.finish(options.image, errors: ["\(refusal.description) Use --json."])
        }
        writer.finish()
        try ExitStatus.finish(options.image, errors: ExitStatus.errors(map.findings))
    }
}

extension MapCommand {
    /// `--picture`: the guest map summarised per cluster, drawn and written.
    func writePicture(_ map: GuestMap) throws {
        let summary: GuestMapSummary
        do {
            summary = try map.overview().summary
        } catch {
            printError("qcowscope: \(options.image.terminalSafe): could not read the image's mapping: \(error.description)")
            throw ExitCode(ExitStatus.nothingUseful)
        }
        let geometry = MapGeometry(clusters: summary.clusterCount, width: picture.width, curve: picture.curve)
        try picture.write(MapPicture.guest(summary, geometry: geometry, title: MapPictureOptions.title(options.image)))
        try ExitStatus.finish(options.image, errors: ExitStatus.errors(map.findings + summary.findings))
    }
}

/// Writes bytes to a file descriptor, retrying short writes and `EINTR`; gives up silently on a
/// closed pipe (e.g. `| head`).
func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32) {
    guard let base = bytes.baseAddress else { return }
    var done = 0
    while done < bytes.count {
        let n = write(fd, base + done, bytes.count - done)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        done += n
    }
}
