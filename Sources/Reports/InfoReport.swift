import Qcow2

/// What `qcowscope info` says about one image: the facts `qemu-img info` prints, and the raw
/// structures behind them (header fields, extensions, feature bits, LUKS header, findings).
///
/// Building a report reads only the first cluster, the snapshot table, the bitmap directory and
/// the LUKS header: never a data cluster, so it is fast on any image size. Nothing here throws;
/// whatever cannot be read is a finding.
public struct InfoReport: Sendable {
    /// The name the image is shown under, as `qemu-img info` prints `filename`: the path given on
    /// the command line for the top image, the joined backing name for the layers below it. Kept
    /// as bytes, because a backing name need not be UTF-8; text shows them escaped (`\xff`).
    public let rawFilename: [UInt8]
    /// ``rawFilename`` decoded as UTF-8 (invalid bytes as U+FFFD, as qemu-img's JSON has them).
    public var filename: String { String(decoding: rawFilename, as: UTF8.self) }
    /// "qcow2", or "raw" for a raw backing layer.
    public let format: String
    /// The decoded image; nil for a raw layer.
    public let image: Qcow2Image?
    /// The file, opened read-only.
    public let file: any ByteSource
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
        public var rawFilename: [UInt8]
        public var format: String
        public var filename: String { String(decoding: rawFilename, as: UTF8.self) }
    }

    /// A report on `image`, shown as `filename` (default: the path it was opened with). When
    /// `chain` is given its layers are listed and its findings included.
    public init(image: Qcow2Image, filename: String? = nil, chain: BackingChain? = nil) {
        self.init(image: image, rawFilename: filename.map { Array($0.utf8) } ?? image.file.rawPath, chain: chain)
    }

    init(image: Qcow2Image, rawFilename name: [UInt8], chain: BackingChain? = nil) {
        var findings = image.findings
        let (snapshots, snapshotFindings) = image.readSnapshots()
        let (bitmaps, bitmapFindings) = image.readBitmapDirectory()
        let (luks, luksFindings) = image.readLUKSHeader()
        findings += snapshotFindings + bitmapFindings + luksFindings
        if case .failure(let error)? = image.openDataFile() { findings.append(Finding(error, severity: .warning)) }
        var entries: [ChainEntry] = []
        if let chain {
            let names = Self.displayRawNames(chain, top: name)
            entries = zip(chain.layers, names).map { ChainEntry(depth: $0.depth, rawFilename: $1, format: $0.format) }
            findings += chain.findings
        }
        self.init(rawFilename: name, format: BackingChain.qcow2Format, image: image, file: image.file,
                  actualSize: Self.allocatedBytes(image.file), snapshots: snapshots, bitmaps: bitmaps, luks: luks,
                  chain: entries, findings: findings)
    }

    /// A report on one layer of a chain (raw layers included), shown as `filename`.
    public init(layer: BackingChain.Layer, filename: String? = nil) {
        self.init(layer: layer, rawFilename: filename.map { Array($0.utf8) } ?? layer.rawPath)
    }

    init(layer: BackingChain.Layer, rawFilename: [UInt8]) {
        if let image = layer.image {
            self.init(image: image, rawFilename: rawFilename)
        } else {
            self.init(rawFilename: rawFilename, format: layer.format, image: nil, file: layer.file,
                      actualSize: Self.allocatedBytes(layer.file), snapshots: [], bitmaps: [], luks: nil,
                      chain: [], findings: [])
        }
    }

    private init(rawFilename: [UInt8], format: String, image: Qcow2Image?, file: any ByteSource, actualSize: UInt64?,
                 snapshots: [Snapshot], bitmaps: [BitmapDirectoryEntry], luks: LUKSHeader?,
                 chain: [ChainEntry], findings: [Finding]) {
        self.rawFilename = rawFilename
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
        let names = displayRawNames(chain, top: filename.map { Array($0.utf8) } ?? top.rawPath)
        var reports = [InfoReport(image: topImage, rawFilename: names[0], chain: chain)]
        for (layer, name) in zip(chain.layers.dropFirst(), names.dropFirst()) {
            reports.append(InfoReport(layer: layer, rawFilename: name))
        }
        return reports
    }

    /// QEMU's names for the layers: each backing name joined to the name of the image above, as
    /// bytes (QEMU joins C strings; a backing name need not be UTF-8).
    static func displayRawNames(_ chain: BackingChain, top: [UInt8]) -> [[UInt8]] {
        var names = [top]
        for layer in chain.layers.dropLast() {
            let above = names[names.count - 1]
            let next = layer.image?.backingFileName.map { fullBackingRawName($0, relativeTo: above) } ?? above
            names.append(next)
        }
        return Array(names.prefix(chain.layers.count))
    }

    /// `full-backing-filename`: the stored name (up to a NUL) joined as QEMU's `path_combine` does,
    /// or the name itself when it names a protocol.
    static func fullBackingName(_ raw: RawString, relativeTo base: String) -> String {
        String(decoding: fullBackingRawName(raw, relativeTo: Array(base.utf8)), as: UTF8.self)
    }

    /// ``fullBackingName(_:relativeTo:)`` as bytes, for display: a name that is not UTF-8 is shown
    /// escaped byte for byte rather than with U+FFFD.
    static func fullBackingRawName(_ raw: RawString, relativeTo base: [UInt8]) -> [UInt8] {
        let name = Array(raw.bytes.prefix { $0 != 0 })
        return BackingChain.hasProtocol(name) ? name : BackingChain.resolve(name, relativeTo: base)
    }

    /// Asked of the open source (a file's `fstat`), not of its path: a backing file's name may
    /// not be UTF-8.
    private static func allocatedBytes(_ file: any ByteSource) -> UInt64? { file.allocatedBytes }

    /// The virtual disk size: the header's size, or the file size for a raw layer.
    public var virtualSize: UInt64 { image?.header.size ?? file.size }
}
