import Formatting
import Qcow2

/// The human `qcowscope info` output: qemu-img info's summary first (same labels), then what
/// qemu-img does not show: header fields with offsets, feature bits by name, header extensions,
/// the LUKS header, snapshots, bitmaps, the backing chain and findings.
///
/// Image text (names, paths, LUKS strings) is always printed through ``RawString/escaped``.
extension InfoReport {
    public func text() -> String {
        var lines = summaryLines()
        if let image {
            lines += headerLines(image)
            lines += featureLines(image)
            lines += extensionLines(image)
            lines += luksLines()
            lines += snapshotLines()
            lines += bitmapLines(image)
        }
        lines += chainLines()
        lines += findingLines()
        return lines.joined(separator: "\n") + "\n"
    }

    /// Several reports (a `--backing-chain` run), separated by blank lines as qemu-img does.
    public static func text(_ reports: [InfoReport]) -> String {
        reports.map { $0.text() }.joined(separator: "\n")
    }

    private func name(_ raw: RawString) -> String { raw.escaped }

    func summaryLines() -> [String] {
        var lines = [
            "image: \(RawString.escape(rawFilename))",
            "file format: \(format)",
            "virtual size: \(Formatted.humanSize(virtualSize)) (\(virtualSize) bytes)",
            "disk size: \(actualSize.map(Formatted.humanSize) ?? "unavailable")",
        ]
        guard let image else { return lines }
        let h = image.header
        lines.append("cluster_size: \(h.clusterSize)")
        if let backing = image.backingFileName {
            let stored = Array(backing.bytes.prefix { $0 != 0 })
            let full = Self.fullBackingRawName(backing, relativeTo: rawFilename)
            lines.append("backing file: \(RawString.escape(stored))" + (full == stored ? "" : " (actual path: \(RawString.escape(full)))"))
            if let format = image.backingFormat { lines.append("backing file format: \(name(format))") }
        }
        if h.cryptMethod != 0 { lines.append("encrypted: yes") }
        if let dataFile = image.dataFileName { lines.append("data file: \(name(dataFile))\(h.dataFileIsRaw ? " (raw)" : "")") }
        lines.append("compat: \(h.version >= 3 ? "1.1" : "0.10")  compression type: \(h.compression?.qemuName ?? "unknown (\(h.compressionType))")  refcount bits: \(h.refcountBits)")
        if h.version >= 3 {
            lines.append("lazy refcounts: \(h.hasLazyRefcounts)  corrupt: \(h.isCorrupt)  extended l2: \(h.hasExtendedL2)  dirty: \(h.isDirty)")
        }
        return lines
    }

    func headerLines(_ image: Qcow2Image) -> [String] {
        let h = image.header
        var rows = [["offset", "field", "value"]]
        for f in h.fields {
            rows.append([hex(UInt64(f.offset)), f.name, f.isOffset ? hex(f.value) : String(f.value)])
        }
        return ["", "Header (version \(h.version), \(h.version >= 3 ? h.headerLength : Qcow2.v2HeaderLength) bytes):"]
            + InfoFormatting.table(rows)
    }

    func featureLines(_ image: Qcow2Image) -> [String] {
        guard image.header.version >= 3 else { return [] }
        let features = image.features
        guard !features.isEmpty else { return ["", "Feature bits: none set"] }
        let rows = features.map { f in
            [f.kind.name, "bit \(f.bit)", InfoFormatting.safe(f.name ?? "unnamed"), f.isKnown ? "" : "(unknown to the spec)"]
        }
        return ["", "Feature bits:"] + InfoFormatting.table(rows)
    }

    func extensionLines(_ image: Qcow2Image) -> [String] {
        guard !image.extensions.isEmpty else { return ["", "Header extensions: none"] }
        var rows = [["offset", "type", "length", "name"]]
        for e in image.extensions {
            rows.append([hex(e.offset), hex(UInt64(e.type)), String(e.data.count), e.typeName])
        }
        return ["", "Header extensions:"] + InfoFormatting.table(rows)
    }

    func luksLines() -> [String] {
        guard let luks else { return [] }
        var lines = ["", "Encryption: LUKS version \(luks.version) header at \(hex(luks.offset))"]
        lines += InfoFormatting.table([
            ["cipher", "\(name(luks.cipherName)) \(name(luks.cipherMode)) (\(luks.keyBytes) key bytes)",
             luks.qemuCipherAlgorithm.map { "qemu: \($0)" } ?? ""],
            ["hash", name(luks.hashSpec), ""],
            ["uuid", name(luks.uuid), ""],
            ["payload offset", "\(luks.payloadOffset) (\(luks.payloadOffsetSectors) sectors)", ""],
            ["master key iterations", String(luks.masterKeyDigestIterations), ""],
        ])
        var rows = [["slot", "state", "iterations", "key offset", "stripes"]]
        for slot in luks.keySlots {
            let state = slot.isActive ? "active" : slot.hasKnownState ? "inactive" : hex(UInt64(slot.state))
            rows.append([String(slot.index), state, String(slot.iterations), String(slot.keyOffset), String(slot.stripes)])
        }
        return lines + InfoFormatting.table(rows)
    }

    func snapshotLines() -> [String] {
        guard !snapshots.isEmpty else { return [] }
        var rows = [["ID", "TAG", "VM SIZE", "DATE", "VM CLOCK", "ICOUNT", "L1 TABLE"]]
        for s in snapshots {
            rows.append([name(s.id), name(s.name), Formatted.humanSize(s.vmStateSize), Formatted.date(s.dateSeconds),
                         Formatted.clock(s.vmClockNanoseconds), s.icount.map(String.init) ?? "",
                         "\(hex(s.l1TableOffset)) (\(s.l1Size) entries)"])
        }
        return ["", "Snapshot list:"] + InfoFormatting.table(rows)
    }

    func bitmapLines(_ image: Qcow2Image) -> [String] {
        guard !bitmaps.isEmpty else { return [] }
        var rows = [["name", "granularity", "flags", "table"]]
        for b in bitmaps {
            rows.append([name(b.name), b.granularity.map(Formatted.humanSize) ?? "2^\(b.granularityBits)",
                         b.flagNames.isEmpty ? "-" : b.flagNames.joined(separator: ","),
                         "\(hex(b.tableOffset)) (\(b.tableSize) entries)"])
        }
        let note = image.header.bitmapsConsistent ? "" : " (autoclear bit clear: QEMU ignores them)"
        return ["", "Bitmaps\(note):"] + InfoFormatting.table(rows)
    }

    func chainLines() -> [String] {
        guard chain.count > 1 else { return [] }
        let rows = chain.map { [String($0.depth), $0.format, RawString.escape($0.rawFilename)] }
        return ["", "Backing chain:"] + InfoFormatting.table(rows)
    }

    func findingLines() -> [String] {
        guard !findings.isEmpty else { return ["", "Findings: none"] }
        return ["", "Findings:"] + findings.map { "  " + InfoFormatting.safe($0.description) }
    }
}
