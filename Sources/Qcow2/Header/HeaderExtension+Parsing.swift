extension HeaderExtension {
    /// Walks the header extension area: from header_length (72 for v2) to the end of the first
    /// cluster, stopping at the end marker. An extension that overruns the cluster ends the walk
    /// with a finding; what was read before it is kept.
    public static func readAll(from file: ReadOnlyFile, header: Header) -> (extensions: [HeaderExtension], findings: [Finding]) {
        var extensions: [HeaderExtension] = []
        var findings: [Finding] = []
        guard header.hasUsableGeometry else { return ([], []) }
        let start = UInt64(header.version >= 3 ? header.headerLength : Qcow2.v2HeaderLength)
        // Extensions live in the first cluster, before the backing file name if there is one.
        var end = min(header.clusterSize, file.size)
        if header.hasBackingFile, header.backingFileOffset > start { end = min(end, header.backingFileOffset) }
        guard start < end, let bytes = try? file.readBytes(Int(end - start), at: start, for: .headerExtension) else {
            return ([], [])
        }
        var r = ByteReader(bytes, baseOffset: start, structure: .headerExtension)
        while r.remaining >= 8 {
            let at = r.absolutePosition
            guard let type = try? r.readU32(), let length = try? r.readU32() else { break }
            if type == HeaderExtensionType.end.rawValue { return (extensions, findings) }
            guard UInt64(length) <= UInt64(r.remaining) else {
                findings.append(Finding(.error, .headerExtension, at: at,
                    "extension \(hex(UInt64(type))) of \(length) bytes overruns the header cluster (\(r.remaining) bytes left)"))
                return (extensions, findings)
            }
            let data = (try? r.readBytes(Int(length))) ?? []
            r.alignTo8()
            extensions.append(HeaderExtension(offset: at, type: type, data: data))
        }
        if r.remaining > 0 || extensions.isEmpty == false {
            findings.append(Finding(.warning, .headerExtension, at: r.absolutePosition,
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
