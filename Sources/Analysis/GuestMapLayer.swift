import Qcow2

/// One layer of a backing chain as the guest map reads it: a qcow2 image (with its active L1 table
/// loaded) or a raw file.
///
/// The layer is an immutable description; the walker that reads it keeps its own L2 buffer and
/// hole probe, so a ``GuestMap`` can be walked again (or from several tasks) without sharing state.
public struct GuestMapLayer: @unchecked Sendable {
    public enum Format: @unchecked Sendable {
        /// A qcow2 image and its active L1 table (header l1_table_offset, l1_size).
        case qcow2(Qcow2Image, l1: [UInt64])
        /// A raw file: guest offset = host offset.
        case raw
    }

    public let format: Format
    /// Guest bytes the layer answers for, as QEMU's `bdrv_getlength`: a qcow2 virtual size rounded
    /// down to 512-byte sectors, a raw file's size rounded up to them.
    public let length: UInt64
    /// The path of the file host offsets point into (image file, external data file or raw file),
    /// which `qemu-img map` prints in its "File" column, as the bytes it was opened with (a
    /// backing or data file name need not be UTF-8).
    public let hostRawPath: [UInt8]
    /// The source host offsets point into, when it is open (the hole probe asks it).
    public let host: (any ByteSource)?
    /// ``hostRawPath`` decoded as UTF-8, invalid bytes replaced (display: `RawString.escape`).
    public var hostPath: String { String(decoding: hostRawPath, as: UTF8.self) }
    /// Whether QEMU would detect metadata preallocation (`qcow2_detect_metadata_preallocation`):
    /// then it asks the host file about holes under data clusters and reports those as zero.
    public let metadataPreallocated: Bool
    /// Encrypted images report no host offsets (qcow2_co_block_status: `!s->crypto`). The
    /// explorer turns it off to show where the ciphertext is (``GuestMap/hostOffset(ofGuest:revealingEncrypted:)``).
    public internal(set) var encrypted: Bool
    /// External data file: host offset must equal guest offset, compressed clusters are invalid,
    /// and an offset of 0 with COPIED set is a normal cluster.
    public let hasDataFile: Bool
    /// Damage found reading the layer's tables that QEMU reads past (an L1 table running past the
    /// end of the file reads as zeros), as a finding for the map.
    public let damage: Finding?

    /// A qcow2 layer. `dataFile` is the opened external data file, when the image has one.
    /// Reads the active L1 table (throws when it cannot be read, as QEMU refuses to open the image).
    public init(image: Qcow2Image, dataFile: (any ByteSource)? = nil) throws(FormatError) {
        let header = image.header
        guard header.hasUsableGeometry else {
            throw FormatError(.header, at: 20, "cluster_bits \(header.clusterBits) cannot be mapped")
        }
        let (l1, damage) = try image.readL1TableAsQemu()
        self.damage = damage
        format = .qcow2(image, l1: l1)
        length = header.size & ~UInt64(511)
        hasDataFile = header.hasExternalDataFile
        (host, hostRawPath) = Self.host(image, dataFile: dataFile)
        encrypted = header.cryptMethod != 0
        metadataPreallocated = Self.detectMetadataPreallocation(image)
    }

    /// A raw layer over `file` (raw backing files; also a raw image mapped on its own).
    public init(raw file: any ByteSource, path: String? = nil) {
        format = .raw
        let (rounded, overflow) = file.size.addingReportingOverflow(511)
        length = overflow ? file.size & ~UInt64(511) : rounded & ~UInt64(511)
        hostRawPath = path.map { Array($0.utf8) } ?? file.rawPath
        host = file
        damage = nil
        metadataPreallocated = false
        encrypted = false
        hasDataFile = false
    }

    /// The source host offsets point into and its name: the data file (opened; else only its
    /// name, and no source) or the image.
    static func host(_ image: Qcow2Image, dataFile: (any ByteSource)?) -> ((any ByteSource)?, [UInt8]) {
        guard image.header.hasExternalDataFile else { return (image.file, image.file.rawPath) }
        if let dataFile { return (dataFile, dataFile.rawPath) }
        return (nil, image.dataFileName?.bytes ?? image.file.rawPath)
    }

    /// The image, for qcow2 layers.
    public var image: Qcow2Image? {
        if case .qcow2(let image, _) = format { return image }
        return nil
    }

    /// Guest cluster size: the qcow2 cluster size, or 64 KiB for raw layers.
    public var clusterSize: UInt64 { image?.header.clusterSize ?? 65536 }
}
