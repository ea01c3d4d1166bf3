import Qcow2
import Formatting
import Analysis
import Guest

extension SpaceReport {
    /// One screen: the headline, the file split into categories (summing to its size), one line
    /// per volume, then what to do about it in plain words.
    public func text() -> String {
        let size = Formatted.humanSize
        let fileSize = analysis.fileSize
        var out = "\(filename.terminalSafe): \(size(fileSize)) file · \(size(usage.reclaimableBytes)) reclaimable in the guest\n"
        out += "virtual size \(size(analysis.header.size)), clusters of \(size(analysis.clusterSize))"
            + (usage.allocationUnit != analysis.clusterSize ? " (subclusters of \(size(usage.allocationUnit)))" : "") + "\n\n"
        out += "Where the file's \(fileSize) bytes go:\n"
        var rows: [[String]] = []
        for c in breakdown.categories where c.bytes > 0 || ["in-use", "reclaimable"].contains(c.key) {
            let share = fileSize == 0 ? 0 : Double(c.bytes) * 100 / Double(fileSize)
            rows.append([c.title, size(c.bytes), CheckReport.fixed(share, decimals: 1) + "%"])
        }
        rows.append(["total (the file size)", size(breakdown.total), "100%"])
        out += InfoFormatting.table(rows).joined(separator: "\n") + "\n\n"
        out += volumesText()
        out += "\nWhat to do:\n" + advice().map { Self.wrap($0, width: 100) }.joined(separator: "\n") + "\n"
        let shown = findings.filter { $0.severity != .info }
        if !shown.isEmpty {
            out += "\nFindings:\n" + shown.prefix(20).map { "  " + InfoFormatting.safe($0.description) }.joined(separator: "\n") + "\n"
            if shown.count > 20 { out += "  … and \(shown.count - 20) more (--json lists them all)\n" }
        }
        return out
    }

    func volumesText() -> String {
        guard !usage.volumes.isEmpty else { return "Volumes: none found\n" }
        let size = Formatted.humanSize
        var rows = [["table", "part", "filesystem", "label", "size", "used", "free", "in file", "reclaimable"]]
        for v in usage.volumes {
            let g = v.volume
            let fs = g.filesystem
            let name = g.partition.map(String.init) ?? g.name?.terminalSafe ?? "-"
            let stale = fs.possiblyStale ? " (stale?)" : ""
            rows.append([g.table.rawValue, name, fs.kind.rawValue + stale, fs.label?.terminalSafe ?? "-",
                         size(g.length), v.usedBytes.map(size) ?? "-", v.freeBytes.map(size) ?? "-",
                         size(v.allocatedBytes), fs.isAnalysed ? size(v.reclaimableBytes) : "not analysed"])
        }
        return "Volumes:\n" + InfoFormatting.table(rows).joined(separator: "\n") + "\n"
            + (usage.outsideVolumesBytes > 0 ? "  outside every volume: \(size(usage.outsideVolumesBytes)) allocated\n" : "")
    }

    /// `text` as a "- " item wrapped at `width` columns, continuation lines indented to match.
    static func wrap(_ text: String, width: Int) -> String {
        var lines: [String] = []
        var line = "-"
        for word in text.split(separator: " ") {
            if line.count + 1 + word.count > width, line.count > 2 {
                lines.append(line)
                line = " "
            }
            line += " " + word
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }

    /// What to do, largest gain first, in plain words.
    func advice() -> [String] {
        let size = Formatted.humanSize
        let b = breakdown
        let name = filename.terminalSafe
        var lines: [String] = []
        if usage.reclaimableBytes > 0 {
            let inFile = b.reclaimable != usage.reclaimableBytes ? " (\(size(b.reclaimable)) of this file)" : ""
            lines.append("\(size(usage.reclaimableBytes)) of guest data is free in the guest's filesystems but still allocated in "
                         + "the file\(inFile). Discard it in the guest (`fstrim -av`, or mount with `discard`; the disk needs "
                         + "discard=unmap), then, with the VM off, copy the image compactly: "
                         + "`qemu-img convert -O qcow2 \(name) compact.qcow2`.")
        } else {
            lines.append("The guest's filesystems have no free space that is still allocated in the file.")
        }
        for s in snapshotsFreed.prefix(3) where s.bytes > 0 {
            lines.append("Deleting snapshot \"\(s.name.terminalSafe)\" frees \(size(s.bytes)) "
                         + "(`qemu-img snapshot -d \(s.name.terminalSafe) \(name)`).")
        }
        if b.free + b.leaked > 0 {
            lines.append("\(size(b.free + b.leaked)) of the file is clusters nothing uses"
                         + (b.leaked > 0 ? " (\(size(b.leaked)) leaked: `qemu-img check -r leaks`)" : "")
                         + "; `qemu-img convert` leaves them out.")
        }
        if b.preallocated > 0 {
            lines.append("\(size(b.preallocated)) is preallocated without guest data; `qemu-img convert` leaves it out.")
        }
        if b.notAnalysed > 0 {
            lines.append("\(size(b.notAnalysed)) is in volumes qcowscope does not read; their free space is not counted.")
        }
        return lines
    }
}
