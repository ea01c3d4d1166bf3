/// An opened qcow2 image: its file (read-only), header, header extensions and the names they carry.
///
/// Opening reads only the first cluster, so it is fast on any image size. Tables are read on
/// demand (``readTable(at:entries:structure:maxBytes:)``); the analysis streams through them.
/// Everything odd found while opening is kept in ``findings``; opening throws only when the file
/// is not a qcow2 image at all.
public final class Qcow2Image: @unchecked Sendable {
    public let file: any ByteSource
    public let header: Header
    public let limits: DecodingLimits
    /// Header extensions in file order.
    public let extensions: [HeaderExtension]
    /// Entries of the feature name table extension, if present.
    public let featureNameTable: [FeatureNameEntry]
    /// The backing file name as stored, or nil when the image has none.
    public let backingFileName: RawString?
    /// The backing file format extension (e.g. "qcow2", "raw"), if present.
    public let backingFormat: RawString?
    /// The external data file name extension, if present.
    public let dataFileName: RawString?
    /// The bitmaps extension, if present.
    public let bitmapsExtension: BitmapsExtension?
    /// The full disk encryption header pointer, if present.
    public let encryptionPointer: EncryptionHeaderPointer?
    /// Problems found while opening (header validation, extension damage).
    public let findings: [Finding]

    public var path: String { file.path }

    /// Opens `path` read-only and decodes the header and extensions.
    public convenience init(path: String, limits: DecodingLimits = DecodingLimits()) throws(FormatError) {
        try self.init(file: try ReadOnlyFile(path: path), limits: limits)
    }

    public init(file: any ByteSource, limits: DecodingLimits = DecodingLimits()) throws(FormatError) {
        self.file = file
        self.limits = limits
        let header = try Header.read(from: file)
        self.header = header
        file.prefetch(header.openingRanges(limits))
        var findings = header.validate(fileSize: file.size)
        let (extensions, extFindings) = HeaderExtension.readAll(from: file, header: header)
        findings += extFindings
        self.extensions = extensions

        var seen: Set<UInt32> = []
        for e in extensions where e.knownType != nil {
            if !seen.insert(e.type).inserted {
                findings.append(Finding(.warning, .headerExtension, at: e.offset, "\(e.typeName) extension appears more than once; the first is used"))
            }
        }
        func first(_ t: HeaderExtensionType) -> HeaderExtension? { extensions.first { $0.knownType == t } }
        featureNameTable = first(.featureNameTable)?.featureNames() ?? []
        backingFormat = first(.backingFileFormat)?.stringValue
        dataFileName = first(.externalDataFile)?.stringValue
        bitmapsExtension = first(.bitmaps)?.bitmaps()
        encryptionPointer = first(.fullDiskEncryption)?.encryptionPointer()
        if let e = first(.bitmaps), bitmapsExtension == nil {
            findings.append(Finding(.error, .bitmapExtension, at: e.offset, "bitmaps extension is \(e.data.count) bytes, needs 24"))
        }
        if let e = first(.fullDiskEncryption), encryptionPointer == nil {
            findings.append(Finding(.error, .headerExtension, at: e.offset, "encryption header pointer is \(e.data.count) bytes, needs 16"))
        }

        var backing: RawString?
        if header.hasBackingFile, header.backingFileSize <= Qcow2.maxBackingFileNameLength {
            do {
                backing = RawString(try file.readBytes(Int(header.backingFileSize), at: header.backingFileOffset, for: .backingFileName))
            } catch {
                findings.append(Finding(error))
            }
        }
        backingFileName = backing
        self.findings = findings
    }
}

extension Qcow2Image {
    /// Reads a table of big-endian 64-bit entries (L1, refcount table, bitmap table), after
    /// checking its size against `maxBytes` and the file size, so a hostile count never allocates.
    public func readTable(at offset: UInt64, entries: UInt64, structure: Structure, maxBytes: UInt64) throws(FormatError) -> [UInt64] {
        let bytes = try header.validateTable(structure, offset: offset, entries: entries, entrySize: 8,
                                             maxBytes: maxBytes, fileSize: file.size).get()
        var table = [UInt64](repeating: 0, count: Int(entries))
        let got = try table.withUnsafeMutableBytes { buffer in
            Result { () throws(FormatError) -> Int in try file.read(into: buffer, at: offset) }
        }.get()
        guard UInt64(got) == bytes else { throw FormatError(structure, at: offset, .shortRead(got: got, wanted: Int(bytes))) }
        for i in table.indices { table[i] = UInt64(bigEndian: table[i]) }
        return table
    }

    /// The active L1 table as QEMU reads it when it opens the image: `qcow2_validate_table`
    /// checks the limit, the alignment and overflow but not the file size, and the block layer
    /// reads bytes past the end of the file as zeros. A table running past the end is returned
    /// with those entries 0 and the damage as an error finding (a truncated image).
    public func readL1TableAsQemu() throws(FormatError) -> (table: [UInt64], damage: Finding?) {
        let offset = header.l1TableOffset
        let entries = UInt64(header.l1Size)
        let bytes = try header.validateTable(.l1Table, offset: offset, entries: entries, entrySize: 8,
                                             maxBytes: limits.maxL1TableBytes, fileSize: .max).get()
        // validateTable bounded bytes by maxL1TableBytes and offset + bytes by Int64.max.
        var damage: Finding?
        if offset + bytes > file.size {
            damage = Finding(FormatError(.l1Table, at: offset, .pastEndOfFile(length: bytes, end: offset + bytes, fileSize: file.size)))
        }
        var table = [UInt64](repeating: 0, count: Int(entries))
        try table.withUnsafeMutableBytes { buffer in
            Result { () throws(FormatError) -> Int in try file.readZeroFilled(into: buffer, at: offset) }
        }.get()
        for i in table.indices { table[i] = UInt64(bigEndian: table[i]) }
        return (table, damage)
    }

    /// The active L1 table (header l1_table_offset, l1_size).
    public func readL1Table() throws(FormatError) -> [UInt64] {
        try readTable(at: header.l1TableOffset, entries: UInt64(header.l1Size), structure: .l1Table, maxBytes: limits.maxL1TableBytes)
    }

    /// The refcount table (header refcount_table_offset, refcount_table_clusters).
    public func readRefcountTable() throws(FormatError) -> [UInt64] {
        try readTable(at: header.refcountTableOffset, entries: UInt64(header.refcountTableClusters) &* header.clusterSize / 8,
                      structure: .refcountTable, maxBytes: limits.maxRefcountTableBytes)
    }

    /// Every set feature bit, named by the image's table where it has one.
    public var features: [FeatureBit] { header.setFeatures(names: featureNameTable) }

    /// Number of host clusters the file spans (rounded up).
    public var fileClusters: UInt64 {
        guard header.hasUsableGeometry else { return 0 }
        return (file.size + header.clusterSize - 1) >> UInt64(header.clusterBits)
    }
}
