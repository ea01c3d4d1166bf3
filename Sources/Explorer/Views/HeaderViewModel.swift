import Formatting
import Analysis
import Qcow2
import Reports

/// The header view's content as lines: pure data built from the opened image (and, when the
/// scan has finished, its health summary). Image text is escaped here, once.
public struct HeaderViewModel: Sendable {
    public enum Line: Sendable, Hashable {
        case section(String)
        /// A field: file offset (if it has one), name, value, and a severity when it is a problem.
        case field(offset: UInt64?, name: String, value: String, severity: Finding.Severity?)
        case blank
    }

    public private(set) var rows: [Line] = []

    /// What Enter on a row opens: the cluster a field's offset points at, or a backing file.
    public enum Target: Sendable, Hashable {
        case cluster(UInt64)
        /// The chain's layer at this depth (1 = the backing file).
        case layer(Int)
    }

    /// The targets of the rows that open something, by row index.
    public private(set) var targets: [Int: Target] = [:]

    /// Whether the cursor may rest on row `i` (not on a heading or a blank line).
    public func isSelectable(_ i: Int) -> Bool {
        guard rows.indices.contains(i) else { return false }
        if case .field = rows[i] { return true }
        return false
    }

    public init(data: ExplorerData) {
        let image = data.image
        let h = image.header
        let size = Formatted.humanSize
        section("Image")
        field("file", data.image.file.displayPath)
        field("format", "qcow2 version \(h.version) (compat \(h.version >= 3 ? "1.1" : "0.10"))")
        field("virtual size", "\(size(h.size)) (\(h.size) bytes)")
        if let name = image.backingFileName {
            let missing = data.missingBackingFile != nil && data.chain.layers.count == 1
            let format = image.backingFormat.map { " (\($0.escaped))" } ?? ""
            field("backing file", "\(name.escaped)\(missing ? " (missing)" : format)", missing ? .error : nil)
            if data.chain.layers.count > 1 { targets[rows.count - 1] = .layer(1) }
        }
        field("file size", "\(size(image.file.size)) (\(image.file.size) bytes)")
        if let allocated = data.info.actualSize { field("disk usage", "\(size(allocated)) allocated on the host file system") }
        if h.hasUsableGeometry {
            field("cluster size", "\(size(h.clusterSize))\(h.hasExtendedL2 ? " (32 subclusters of \(size(h.subclusterSize)))" : "")")
            field("refcount width", "\(h.refcountBits) bits")
            field("clusters in file", "\(image.fileClusters)")
        }
        field("compression", h.compression?.qemuName ?? "unknown (\(h.compressionType))")
        field("snapshots", "\(data.info.snapshots.count)")
        field("bitmaps", "\(data.info.bitmaps.count)")
        let health = HealthSummary.line(data)
        field("health", health.text, health.severity)
        // Issue 10's headline: what the file holds that the guest no longer uses.
        field("guest space", VolumesViewModel.headline(data))
        if let locked = image.file.isLockedByAnotherProcess(), locked {
            field("in use", "yes: another process (a running QEMU?) holds QEMU's image locks", .warning)
        }

        section("Header fields")
        for f in h.fields {
            field(f.name, f.isOffset ? hex(f.value) : String(f.value), at: UInt64(f.offset))
            // L1 table, refcount table, snapshot table, backing name: Enter opens that cluster.
            if f.name.hasSuffix("_offset"), f.value != 0, f.value < image.file.size, h.hasUsableGeometry {
                targets[rows.count - 1] = .cluster(f.value >> UInt64(h.clusterBits))
            }
        }
        if !h.additionalBytes.isEmpty {
            field("additional bytes", "\(h.additionalBytes.count) bytes after compression_type", at: 105)
        }

        section("Features")
        let features = image.features
        if features.isEmpty { field("(none)", "no feature bits set") }
        for f in features {
            let name = (f.name ?? "unknown").terminalSafe
            field("\(f.kind.name) bit \(f.bit)", f.isKnown ? name : "\(name) — not in the spec",
                  f.isKnown ? nil : (f.kind == .incompatible ? .error : .warning))
        }

        section("Header extensions")
        if image.extensions.isEmpty { field("(none)", "") }
        for e in image.extensions {
            field(e.typeName, "type \(hex(UInt64(e.type))), \(e.data.count) bytes\(describe(e, image))", at: e.offset)
        }
        encryptionLines(data)
        chainLines(data)
        if !image.findings.isEmpty {
            section("Findings at open")
            for f in image.findings { field(f.structure.rawValue, f.message.terminalSafe, at: f.offset, f.severity) }
        }
    }

    private func describe(_ e: HeaderExtension, _ image: Qcow2Image) -> String {
        switch e.knownType {
        case .backingFileFormat, .externalDataFile: return ": \"\(e.stringValue.escaped)\""
        case .featureNameTable: return ": \(Formatted.count(e.data.count / 48, "name"))"
        case .bitmaps: return image.bitmapsExtension.map { ": \(Formatted.count($0.nbBitmaps, "bitmap")), directory at \(hex($0.directoryOffset))" } ?? ""
        case .fullDiskEncryption: return image.encryptionPointer.map { ": header at \(hex($0.offset)), \($0.length) bytes" } ?? ""
        default: return ""
        }
    }

    private mutating func encryptionLines(_ data: ExplorerData) {
        let h = data.header
        guard h.cryptMethod != 0 else { return }
        section("Encryption")
        field("method", h.encryption == .luks ? "LUKS" : h.encryption == .aes ? "AES-CBC (legacy)" : "unknown (\(h.cryptMethod))")
        guard let luks = data.info.luks else { return }
        field("cipher", "\(luks.cipherName.escaped) \(luks.cipherMode.escaped), \(UInt64(luks.keyBytes) * 8)-bit key", at: luks.offset)
        field("hash", luks.hashSpec.escaped)
        field("uuid", luks.uuid.escaped)
        field("payload offset", "\(luks.payloadOffset) bytes")
        field("master key iterations", "\(luks.masterKeyDigestIterations)")
        for slot in luks.keySlots {
            field("key slot \(slot.index)", slot.isActive ? "active, \(slot.iterations) iterations, \(slot.stripes) stripes, key material at +\(slot.keyOffset)" : "inactive",
                  at: slot.offset)
        }
    }

    private mutating func chainLines(_ data: ExplorerData) {
        guard data.chain.layers.count > 1 || data.image.backingFileName != nil else { return }
        section("Backing chain")
        for entry in data.info.chain {
            field("depth \(entry.depth)", "\(entry.filename.terminalSafe) (\(entry.format))")
            if entry.depth > 0, entry.depth < data.chain.layers.count { targets[rows.count - 1] = .layer(entry.depth) }
        }
        for f in data.chain.findings { field(f.structure.rawValue, f.message.terminalSafe, at: f.offset, f.severity) }
    }

    private mutating func section(_ title: String) {
        if !rows.isEmpty { rows.append(.blank) }
        rows.append(.section(title))
    }

    private mutating func field(_ name: String, _ value: String, at offset: UInt64? = nil, _ severity: Finding.Severity? = nil) {
        rows.append(.field(offset: offset, name: name, value: value, severity: severity))
    }
}
