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
        public let file: ReadOnlyFile

        public init(depth: Int, path: String, format: String, image: Qcow2Image?, file: ReadOnlyFile) {
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

    public init(layers: [Layer], findings: [Finding]) {
        self.layers = layers
        self.findings = findings
    }

    /// The top image (layers[0]).
    public var top: Layer? { layers.first }
    /// The bottom of what could be opened.
    public var bottom: Layer? { layers.last }

    /// Format names a chain is followed through.
    public static let qcow2Format = "qcow2"
    public static let rawFormat = "raw"
}
