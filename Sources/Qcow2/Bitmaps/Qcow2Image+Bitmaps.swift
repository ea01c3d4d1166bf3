extension Qcow2Image {
    /// Reads the bitmap directory named by the bitmaps extension, checking each entry as QEMU's
    /// `bitmap_list_load` / `check_dir_entry` do. A malformed entry is reported and skipped when its
    /// length is still known, so the other bitmaps still show.
    public func readBitmapDirectory() -> (bitmaps: [BitmapDirectoryEntry], findings: [Finding]) {
        guard let ext = bitmapsExtension, header.hasUsableGeometry else { return ([], []) }
        var findings: [Finding] = []
        let dirOffset = ext.directoryOffset
        if !header.bitmapsConsistent {
            findings.append(Finding(.warning, .bitmapExtension, at: dirOffset,
                                    "autoclear bitmaps bit is clear: QEMU considers every bitmap inconsistent"))
        }
        guard ext.nbBitmaps <= limits.maxBitmaps else {
            return ([], findings + [Finding(.error, .bitmapExtension, at: dirOffset, "\(ext.nbBitmaps) bitmaps exceed the limit of \(limits.maxBitmaps)")])
        }
        guard ext.directorySize <= Qcow2.maxBitmapDirectoryBytes else {
            return ([], findings + [Finding(.error, .bitmapDirectory, at: dirOffset, "directory of \(ext.directorySize) bytes exceeds 64 MiB")])
        }
        if dirOffset & (header.clusterSize - 1) != 0 {
            findings.append(Finding(.error, .bitmapDirectory, at: dirOffset, "directory is not aligned to a cluster"))
        }
        let bytes: [UInt8]
        do { bytes = try file.readBytes(Int(ext.directorySize), at: dirOffset, for: .bitmapDirectory) } catch {
            return ([], findings + [Finding(error)])
        }
        var bitmaps: [BitmapDirectoryEntry] = []
        var position = 0
        var names: Set<RawString> = []
        while position + Qcow2.bitmapEntryHeaderSize <= bytes.count, bitmaps.count < Int(ext.nbBitmaps) {
            let at = dirOffset + UInt64(position)
            let r = ByteReader(bytes, baseOffset: dirOffset, structure: .bitmapDirectory)
            guard let nameSize = try? r.getU16(at: position + 18), let extraSize = try? r.getU32(at: position + 20) else { break }
            let length = (Qcow2.bitmapEntryHeaderSize + Int(extraSize) + Int(nameSize) + 7) & ~7
            guard UInt64(extraSize) < UInt64(bytes.count), position + length <= bytes.count else {
                findings.append(Finding(.error, .bitmapDirectory, at: at, "entry \(bitmaps.count) runs past the directory (\(ext.directorySize) bytes)"))
                break
            }
            let extraStart = position + Qcow2.bitmapEntryHeaderSize
            let nameStart = extraStart + Int(extraSize)
            let entry = BitmapDirectoryEntry(
                index: bitmaps.count, entryOffset: at,
                tableOffset: (try? r.getU64(at: position)) ?? 0, tableSize: (try? r.getU32(at: position + 8)) ?? 0,
                flags: (try? r.getU32(at: position + 12)) ?? 0, type: bytes[position + 16],
                granularityBits: bytes[position + 17],
                name: RawString(Array(bytes[nameStart..<(nameStart + Int(nameSize))])),
                extraData: Array(bytes[extraStart..<nameStart]))
            findings += check(entry)
            if !names.insert(entry.name).inserted {
                findings.append(Finding(.error, .bitmapDirectory, at: at, "bitmap name \"\(entry.name.escaped)\" is not unique"))
            }
            bitmaps.append(entry)
            position += length
        }
        if bitmaps.count != Int(ext.nbBitmaps) || position != bytes.count {
            findings.append(Finding(.error, .bitmapDirectory, at: dirOffset,
                "directory holds \(bitmaps.count) entries in \(position) bytes; the extension says \(ext.nbBitmaps) in \(ext.directorySize)"))
        }
        return (bitmaps, findings)
    }

    /// QEMU's `check_dir_entry`, as findings.
    private func check(_ e: BitmapDirectoryEntry) -> [Finding] {
        var out: [Finding] = []
        func bad(_ m: String) { out.append(Finding(.error, .bitmapDirectory, at: e.entryOffset, "bitmap \"\(e.name.escaped)\": \(m)")) }
        if e.type != BitmapDirectoryEntry.dirtyTrackingType { bad("unknown type \(e.type)") }
        if !(Qcow2.minBitmapGranularityBits...Qcow2.maxBitmapGranularityBits).contains(e.granularityBits) {
            bad("granularity_bits \(e.granularityBits) outside QEMU's 9...31")
        }
        if e.name.isEmpty || e.name.bytes.count > Int(Qcow2.maxBitmapNameLength) { bad("name size \(e.name.bytes.count) outside 1...1023") }
        if e.reservedFlags != 0 { bad("reserved flag bits \(hex(UInt64(e.reservedFlags))) set") }
        if e.tableSize > Qcow2.maxBitmapTableEntries { bad("table of \(e.tableSize) entries exceeds QEMU's limit") }
        if e.tableOffset & (header.clusterSize - 1) != 0 { bad("table offset \(hex(e.tableOffset)) is not aligned to a cluster") }
        if !e.extraData.isEmpty && !e.isExtraDataCompatible { bad("unknown extra data and extra_data_compatible is clear") }
        if let expected = e.expectedTableSize(virtualSize: header.size, clusterSize: header.clusterSize),
           expected != UInt64(e.tableSize) {
            bad("table has \(e.tableSize) entries; a bitmap of this granularity over \(header.size) bytes needs \(expected)")
        }
        return out
    }

    /// Reads a bitmap's table (one 64-bit entry per cluster of bitmap data).
    public func readBitmapTable(of bitmap: BitmapDirectoryEntry) throws(FormatError) -> [BitmapTableEntry] {
        let raw = try readTable(at: bitmap.tableOffset, entries: UInt64(bitmap.tableSize), structure: .bitmapTable,
                                maxBytes: UInt64(Qcow2.maxBitmapTableEntries) * 8)
        return raw.map(BitmapTableEntry.init(raw:))
    }
}
