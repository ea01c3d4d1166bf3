extension HeaderExtension {
    /// Walks the header extension area: from header_length (72 for v2) to the end of the first
    /// cluster, stopping at the end marker. An extension that overruns the cluster ends the walk
    /// with a finding; what was read before it is kept.
    public static func readAll(from file: any ByteSource, header: Header) -> (extensions: [HeaderExtension], findings: [Finding]) {
        var extensions: [HeaderExtension] = []
        var findings: [Finding] = []
        guard header.hasUsableGeometry else { return ([], []) }
        let start = UInt64(header.version >= 3 ? header.headerLength : Qcow2.v2HeaderLength)
        // Extensions live in the first cluster, before the backing file name if there is one.
        var end = min(header.clusterSize, file.size)
        if header.hasBackingFile, header.backingFileOffset > start { end = min(end, header.backingFileOffset) }
        // Walk one extension at a time (QEMU's qcow2_read_extensions) so only the bytes that
        // hold extensions are read, never the whole first cluster.
        var position = start
        while position < end, end - position >= 8 {
            guard let head = try? file.readBytes(8, at: position, for: .headerExtension) else { break }
            let r = ByteReader(head, baseOffset: position, structure: .headerExtension)
            guard let type = try? r.getU32(at: 0), let length = try? r.getU32(at: 4) else { break }
            if type == HeaderExtensionType.end.rawValue { return (extensions, findings) }
            let room = end - position - 8
            guard UInt64(length) <= room else {
                findings.append(Finding(.error, .headerExtension, at: position,
                    "extension \(hex(UInt64(type))) of \(length) bytes overruns the header cluster (\(room) bytes left)"))
                return (extensions, findings)
            }
            let data: [UInt8]
            do { data = try file.readBytes(Int(length), at: position + 8, for: .headerExtension) } catch {
                findings.append(Finding(error))
                return (extensions, findings)
            }
            extensions.append(HeaderExtension(offset: position, type: type, data: data))
            position += 8 + (UInt64(length) + 7) & ~7
        }
        if position < end || !extensions.isEmpty {
            findings.append(Finding(.warning, .headerExtension, at: position,
                                    "header extension area has no end marker before the end of the first cluster"))
        }
        return (extensions, findings)
    }

    /// Decodes a feature name table (48-byte entries).
    public func featureNames() -> [FeatureNameEntry] {
        stride(from: 0, to: data.count - 47, by: 48).map { i in
            let raw = data[(i + 2)..<(i + 48)]
            let nameBytes = raw.prefix { $0 != 0 }
            return FeatureNameEntry(kind: data[i], bit: data[i + 1], name: String(decoding: nameBytes, as: UTF8.self))
        }
    }

    /// Decodes the bitmaps extension (24 bytes), or nil when it is too short.
    public func bitmaps() -> BitmapsExtension? {
        let r = ByteReader(data, baseOffset: offset + 8, structure: .bitmapExtension)
        guard let n = try? r.getU32(at: 0), let res = try? r.getU32(at: 4),
              let size = try? r.getU64(at: 8), let off = try? r.getU64(at: 16) else { return nil }
        return BitmapsExtension(nbBitmaps: n, reserved: res, directorySize: size, directoryOffset: off)
    }

    /// Decodes the encryption header pointer (16 bytes), or nil when it is too short.
    public func encryptionPointer() -> EncryptionHeaderPointer? {
        let r = ByteReader(data, baseOffset: offset + 8, structure: .headerExtension)
        guard let off = try? r.getU64(at: 0), let len = try? r.getU64(at: 8) else { return nil }
        return EncryptionHeaderPointer(offset: off, length: len)
    }

    /// The data as a string extension (backing format, data file name): bytes, not NUL terminated.
    public var stringValue: RawString { RawString(data) }
}
