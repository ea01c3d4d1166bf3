extension Header {
    /// Decodes the header from the first bytes of the file (spec, "Header").
    ///
    /// Throws only when the bytes cannot be a qcow2 header at all: wrong magic, an unknown version,
    /// or too few bytes. Everything else (odd sizes, misaligned offsets) is left to ``validate(fileSize:)``
    /// so the header can still be shown.
    public init(parsing bytes: [UInt8]) throws(FormatError) {
        let r = ByteReader(bytes, baseOffset: 0, structure: .header)
        let magic = try r.getU32(at: 0)
        guard magic == Qcow2.magic else {
            throw FormatError(.header, at: 0, .badMagic(magic, looksLike: nil))
        }
        let version = try r.getU32(at: 4)
        guard version == 2 || version == 3 else {
            throw FormatError(.header, at: 4, version == 1 ? .badMagic(magic, looksLike: .qcowVersion1) : .unsupportedVersion(version))
        }
        self.init(
            magic: magic, version: version,
            backingFileOffset: try r.getU64(at: 8), backingFileSize: try r.getU32(at: 16),
            clusterBits: try r.getU32(at: 20), size: try r.getU64(at: 24),
            cryptMethod: try r.getU32(at: 32), l1Size: try r.getU32(at: 36),
            l1TableOffset: try r.getU64(at: 40), refcountTableOffset: try r.getU64(at: 48),
            refcountTableClusters: try r.getU32(at: 56), nbSnapshots: try r.getU32(at: 60),
            snapshotsOffset: try r.getU64(at: 64), headerLength: Qcow2.v2HeaderLength)
        guard version >= 3 else { return }
        incompatibleFeatures = try r.getU64(at: 72)
        compatibleFeatures = try r.getU64(at: 80)
        autoclearFeatures = try r.getU64(at: 88)
        refcountOrder = try r.getU32(at: 96)
        headerLength = try r.getU32(at: 100)
        guard headerLength >= Qcow2.v3MinimumHeaderLength else {
            throw FormatError(.header, at: 100, "header_length \(headerLength) is below the v3 minimum of 104")
        }
        // Fields past what was read (the caller reads a whole cluster or the file, whichever is
        // smaller) are reported by validate(); take what is here.
        let available = min(Int(headerLength), bytes.count)
        if available > Qcow2.compressionTypeOffset {
            compressionType = bytes[Qcow2.compressionTypeOffset]
            additionalBytes = Array(bytes[(Qcow2.compressionTypeOffset + 1)..<available])
        }
    }

    /// Reads and decodes the header of `file`: the 104-byte fixed part, then up to header_length
    /// (at most 2 MiB, QEMU's largest cluster).
    ///
    /// Reads stay as small as the header is: reading far into a freshly fallocated file pulls
    /// unwritten extents into the page cache, after which SEEK_DATA reports them as data and
    /// `qemu-img map` (and ours) would see a different file.
    /// A file that is not qcow2 says what it looks like instead when that is easy to tell
    /// (``ForeignFormat``): "not a qcow2 image: looks like a VMDK sparse extent (KDMV)".
    public static func read(from file: any ByteSource) throws(FormatError) -> Header {
        guard file.size >= UInt64(Qcow2.v2HeaderLength) else {
            if let foreign = ForeignFormat.detect(in: file) { throw FormatError(.header, at: 0, .badMagic(0, looksLike: foreign)) }
            throw FormatError(.header, at: 0, .tooShort(have: file.size, need: UInt64(Qcow2.v2HeaderLength), what: "a qcow2 header"))
        }
        let fixed = Int(min(file.size, UInt64(Qcow2.v3MinimumHeaderLength)))
        var bytes = try file.readBytes(fixed, at: 0, for: .header)
        let header: Header
        do {
            header = try Header(parsing: bytes)
        } catch {
            guard case .badMagic(let magic, nil) = error.kind else { throw error }
            throw FormatError(.header, at: 0, .badMagic(magic, looksLike: ForeignFormat.detect(in: file)))
        }
        let wanted = min(UInt64(header.headerLength), file.size, 1 << UInt64(Qcow2.maxClusterBits))
        guard wanted > UInt64(fixed) else { return header }
        bytes = try file.readBytes(Int(wanted), at: 0, for: .header)
        return try Header(parsing: bytes)
    }
}
