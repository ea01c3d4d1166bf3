import Qcow2

extension ImageScanner {
    /// The rest of `calculate_refcounts` before the refcount blocks: the snapshot table, the
    /// refcount table, the encryption header and the persistent bitmaps.
    mutating func referenceMetadata() {
        if !snapshots.isEmpty {
            reference(header.snapshotsOffset, snapshotTableBytes, role: .snapshotTable, what: "snapshot table")
        }
        reference(header.refcountTableOffset, UInt64(header.refcountTableClusters) * clusterSize,
                  role: .refcountTable, what: "refcount table")
        if header.encryption == .luks, qemuSeesCrypto, let crypto = image.encryptionPointer, crypto.length > 0 {
            reference(crypto.offset, crypto.length, role: .cryptoHeader, what: "encryption header")
        }
        referenceBitmaps()
    }

    /// `qcow2_check_bitmaps_refcounts`: directory, tables and data clusters. QEMU only knows the
    /// bitmaps when the autoclear bit is set; a directory or table it cannot load is one
    /// corruption and ends the check.
    private mutating func referenceBitmaps() {
        guard let ext = image.bitmapsExtension, ext.nbBitmaps > 0 else { return }
        guard header.bitmapsConsistent else {
            note(.bitmapInconsistent, at: ext.directoryOffset,
                 "the autoclear bitmaps bit is clear: QEMU ignores all \(ext.nbBitmaps) bitmaps, so their clusters count as leaked")
            return
        }
        guard qemuSeesBitmaps, ext.nbBitmaps <= Qcow2.maxBitmaps, ext.directorySize <= Qcow2.maxBitmapDirectoryBytes else { return }
        reference(ext.directoryOffset, ext.directorySize, role: .bitmapDirectory, what: "bitmap directory")
        let (list, problems) = image.readBitmapDirectory()
        let damage = problems.filter { $0.severity == .error }
        for p in problems { note(.bitmapInconsistent, at: p.offset, severity: p.severity, p.message) }
        if !damage.isEmpty {
            corruption(.bitmapInconsistent, at: ext.directoryOffset, "the bitmap directory cannot be loaded")
            fatal.append("the bitmap directory cannot be loaded")
            return
        }
        bitmaps = list
        if let reason = qemuBitmapLoadFailure(list) {
            fatal.append(reason)
            return
        }
        for bitmap in list {
            if bitmap.isInUse {
                note(.bitmapInconsistent, at: bitmap.entryOffset,
                     "bitmap \"\(bitmap.name.escaped(limit: 64))\" is marked in use: its contents are inconsistent")
            }
            reference(bitmap.tableOffset, UInt64(bitmap.tableSize) * 8, role: .bitmapTable, what: "bitmap table")
            let table: [BitmapTableEntry]
            do { table = try image.readBitmapTable(of: bitmap) } catch {
                corruption(.bitmapInconsistent, at: bitmap.tableOffset, "bitmap \"\(bitmap.name.escaped(limit: 64))\": \(error.reason)")
                fatal.append("a bitmap table cannot be loaded")
                return
            }
            if let bad = table.firstIndex(where: { $0.hasReservedBits || $0.dataOffset & (clusterSize - 1) != 0 }) {
                corruption(.bitmapInconsistent, at: bitmap.tableOffset &+ UInt64(bad) &* 8,
                           "bitmap \"\(bitmap.name.escaped(limit: 64))\": table entry \(bad) (\(hex(table[bad].raw))) is invalid")
                fatal.append("a bitmap table cannot be loaded")
                return
            }
            for entry in table where entry.dataOffset != 0 {
                reference(entry.dataOffset, clusterSize, role: .bitmapData, what: "bitmap data")
            }
        }
    }

    /// What makes `qcow2_load_dirty_bitmaps` fail at open beyond the directory checks: names
    /// equal as C strings (QEMU stops at a NUL byte), and a table whose size does not fit the
    /// disk as QEMU measures it (whole sectors).
    private func qemuBitmapLoadFailure(_ list: [BitmapDirectoryEntry]) -> String? {
        var names: Set<[UInt8]> = []
        for b in list where !names.insert(Array(b.name.bytes.prefix { $0 != 0 })).inserted {
            return "bitmap \"\(b.name.escaped(limit: 64))\" already exists"
        }
        let diskBytes = header.size / 512 * 512
        for b in list {
            if let expected = b.expectedTableSize(virtualSize: diskBytes, clusterSize: clusterSize), expected != UInt64(b.tableSize) {
                return "could not read bitmap \"\(b.name.escaped(limit: 64))\""
            }
        }
        return nil
    }
}
