/// The chain of images a qcow2 image reads through: the image itself, its backing file, that
/// file's backing file, and so on (spec, "Header": backing_file_offset; "Header extensions":
/// backing file format name).
///
/// Opening a chain never fails: whatever stops it (a missing file, a loop, a device node, a
/// format qcowscope cannot read, the depth limit) becomes a ``Finding`` and the layers opened so
/// far are kept, so the explorer and `info` still show them.
public struct BackingChain: Sendable {
    /// One image of the chain.
    public struct Layer: Sendable {
        /// 0 for the top image, 1 for its backing file, ...
        public let depth: Int
        /// The path as QEMU names the file: the backing name joined to the directory of the image
        /// that names it, not canonicalised (what `qemu-img info` prints as `filename`).
        public let path: String
        /// "qcow2" or "raw": the only formats a chain is followed through.
        public let format: String
        /// ``path`` as the bytes the file was opened with (exact even when the backing name is not
        /// UTF-8, where ``path`` has U+FFFD); shown with `RawString.escape`.
        public var rawPath: [UInt8] { file.rawPath }
        /// ``rawPath`` and its last component escaped for a terminal, from the bytes (escaping
        /// ``path`` instead would show U+FFFD where the name has a byte that is not UTF-8).
        public var displayPath: String { file.displayPath }
        public var displayName: String { file.displayName }
        /// The decoded image, nil for a raw layer.
        public let image: Qcow2Image?
        /// The file, opened read-only.
        public let file: any ByteSource

        public init(depth: Int, path: String, format: String, image: Qcow2Image?, file: any ByteSource) {
            self.depth = depth
            self.path = path
            self.format = format
            self.image = image
            self.file = file
        }
    }

    /// layers[0] is the top image itself; each next layer is the backing file of the one before.
    public let layers: [Layer]
    /// Why the chain stopped early, and anything odd about how a layer was found.
    public let findings: [Finding]
    /// Why the chain stopped before its last layer's backing file, if it did (the last
    /// error-severity finding says it in words).
    public let stop: Stop?

    public init(layers: [Layer], findings: [Finding], stop: Stop? = nil) {
        self.layers = layers
        self.findings = findings
        self.stop = stop
    }

    /// Why a chain stops, as a value (the header's health line and the check's open rules decide on it).
    public enum Stop: Sendable, Hashable {
        /// The backing file name is empty (QEMU: no backing file).
        case emptyName
        /// The name is a protocol (`nbd:`, `http://`...), which is not followed.
        case protocolName
        /// More layers than ``DecodingLimits/maxBackingDepth``.
        case tooDeep
        /// The backing file (shown escaped) does not exist.
        case missing(String)
        /// The reach rule refused the name (shown escaped, with why): treated as a missing file,
        /// as `qemu-img` treats one, since nothing past it is read.
        case outsideReach(String, ReachRule.Refusal)
        /// It cannot be opened (permissions, not a regular file...).
        case unopenable(FormatError.Kind)
        /// It is a file already in the chain.
        case loop
        /// It is declared or probed qcow2 but its header cannot be read.
        case unreadable(FormatError.Kind)
        /// A format qcowscope does not read.
        case unsupportedFormat(String)

        /// Whether QEMU refuses to open the image for it too. QEMU opens device nodes, deeper
        /// chains, protocols and other formats, and reads an empty name as no backing file;
        /// qcowscope stops at those.
        public var stopsQemu: Bool {
            switch self {
            case .emptyName, .tooDeep, .protocolName, .unsupportedFormat: false
            case .unopenable(let kind): !kind.isNotRegularFile
            case .missing, .loop, .unreadable, .outsideReach: true
            }
        }
    }

    /// The top image (layers[0]).
    public var top: Layer? { layers.first }
    /// The bottom of what could be opened.
    public var bottom: Layer? { layers.last }

    /// Format names a chain is followed through.
    public static let qcow2Format = "qcow2"
    public static let rawFormat = "raw"
}
