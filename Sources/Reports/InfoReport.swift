import Qcow2

/// What `qcowscope info` says about one image: the facts `qemu-img info` prints, and the raw
/// structures behind them (header fields, extensions, feature bits, LUKS header, findings).
///
/// Building a report reads only the first cluster, the snapshot table, the bitmap directory and
/// the LUKS header: never a data cluster, so it is fast on any image size. Nothing here throws;
/// whatever cannot be read is a finding.
public struct InfoReport: Sendable {
    /// The name the image is shown under, as `qemu-img info` prints `filename`: the path given on
    /// the command line for the top image, the joined backing name for the layers below it.
    public let filename: String
    /// "qcow2", or "raw" for a raw backing layer.
    public let format: String
    /// The decoded image; nil for a raw layer.
    public let image: Qcow2Image?
    /// The file, opened read-only.
    public let file: ReadOnlyFile
    /// st_blocks × 512 (`actual-size`), nil when the file cannot be stat'ed.
    public let actualSize: UInt64?
    public let snapshots: [Snapshot]
    public let bitmaps: [BitmapDirectoryEntry]
    /// The decoded LUKS header of a LUKS-encrypted image.
    public let luks: LUKSHeader?
    /// The backing chain below this image (depth, filename, format), when it was opened.
    public let chain: [ChainEntry]
    /// Everything odd: header validation, extensions, snapshots, bitmaps, LUKS, chain, data file.
    public let findings: [Finding]

    /// One layer of the backing chain as the report lists it.
    public struct ChainEntry: Sendable, Hashable {
        public var depth: Int
        public var filename: String
        public var format: String
    }

    /// A report on `image`, shown as `filename` (default: the path it was opened with). When
    /// `chain` is given its layers are listed and its findings included.
    public init(image: Qcow2Image, filename: String? = nil, chain: BackingChain? = nil) {
        let name = filename ?? image.path
        var findings = image.findings
        let (snapshots, snapshotFindings) = image.readSnapshots()
        let (bitmaps, bitmapFindings) = image.readBitmapDirectory()
        let (luks, luksFindings) = image.readLUKSHeader()
        findings += snapshotFindings + bitmapFindings + luksFindings
        if case .failure(let error)? = image.openDataFile() { findings.append(Finding(error, severity: .warning)) }
        var entries: [ChainEntry] = []
        if let chain {
            let names = Self.displayNames(chain, top: name)
            entries = zip(chain.layers, names).map { ChainEntry(depth: $0.depth, filename: $1, format: $0.format) }
            findings += chain.findings
        }
        self.init(filename: name, format: BackingChain.qcow2Format, image: image, file: image.file,
                  actualSize: Self.allocatedBytes(image.path), snapshots: snapshots, bitmaps: bitmaps, luks: luks,
                  chain: entries, findings: findings)
    }

    /// A report on one layer of a chain (raw layers included), shown as `filename`.
    public init(layer: BackingChain.Layer, filename: String? = nil) {
        if let image = layer.image {
            self.init(image: image, filename: filename ?? layer.path)
        } else {
            self.init(filename: filename ?? layer.path, format: layer.format, image: nil, file: layer.file,
                      actualSize: Self.allocatedBytes(layer.path), snapshots: [], bitmaps: [], luks: nil,
                      chain: [], findings: [])
        }
    }

    private init(filename: String, format: String, image: Qcow2Image?, file: ReadOnlyFile, actualSize: UInt64?,
                 snapshots: [Snapshot], bitmaps: [BitmapDirectoryEntry], luks: LUKSHeader?,
                 chain: [ChainEntry], findings: [Finding]) {
        self.filename = filename
        self.format = format
        self.image = image
        self.file = file
        self.actualSize = actualSize
        self.snapshots = snapshots
        self.bitmaps = bitmaps
        self.luks = luks
        self.chain = chain
        self.findings = findings
    }

    /// One report per layer of `chain`, as `qemu-img info --backing-chain` lists them; the top is
    /// shown as `filename` and each layer below under its backing name joined to the name above.
    /// The chain's own findings go to the top report.
    public static func chain(_ chain: BackingChain, filename: String? = nil) -> [InfoReport] {
        guard let top = chain.top, let topImage = top.image else { return [] }
        let names = displayNames(chain, top: filename ?? top.path)
        var reports = [InfoReport(image: topImage, filename: names[0], chain: chain)]
        for (layer, name) in zip(chain.layers.dropFirst(), names.dropFirst()) {
            reports.append(InfoReport(layer: layer, filename: name))
        }
        return reports
    }

    /// QEMU's names for the layers: each backing name joined to the name of the image above.
    static func displayNames(_ chain: BackingChain, top: String) -> [String] {
        var names = [top]
        for layer in chain.layers.dropLast() {
            let above = names[names.count - 1]
            let next = layer.image?.backingFileName.map { fullBackingName($0, relativeTo: above) } ?? above
            names.append(next)
        }
        return Array(names.prefix(chain.layers.count))
    }

    /// `full-backing-filename`: the stored name (up to a NUL) joined as QEMU's `path_combine` does,
    /// or the name itself when it names a protocol.
    static func fullBackingName(_ raw: RawString, relativeTo base: String) -> String {
        let name = RawString(Array(raw.bytes.prefix { $0 != 0 })).string
        return BackingChain.hasProtocol(name) ? name : BackingChain.resolve(name, relativeTo: base)
    }

    private static func allocatedBytes(_ path: String) -> UInt64? {
        if case .success(let status) = FileStatus.of(path: path) { return status.allocatedBytes }
        return nil
    }

    /// The virtual disk size: the header's size, or the file size for a raw layer.
    public var virtualSize: UInt64 { image?.header.size ?? file.size }
}
