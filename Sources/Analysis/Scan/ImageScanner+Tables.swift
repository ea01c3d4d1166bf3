extension ImageScanner {
    /// The conditions under which `qcow2_do_open` refuses the image, so `qemu-img check` stops
    /// with status 1 before checking anything. The scan still walks what it can.
    mutating func checkOpenability() {
        for f in image.findings where f.severity == .error {
            note(.image, at: f.offset, severity: .error, "\(f.structure.rawValue): \(f.message)")
        }
        if header.version < 2 || header.version > 3 { fatal.append("unsupported qcow2 version \(header.version)") }
        if header.version >= 3 {
            if header.incompatibleFeatures >> 5 != 0 { fatal.append("unsupported incompatible features \(hex((header.incompatibleFeatures >> 5) << 5))") }
            if UInt64(header.headerLength) > clusterSize { fatal.append("header_length \(header.headerLength) exceeds the cluster size") }
            if header.compression == nil { fatal.append("unknown compression type \(header.compressionType)") }
            if extendedL2, clusterBits < Qcow2.minExtendedL2ClusterBits { fatal.append("extended L2 entries need clusters of 16 KiB or more") }
        }
        if header.encryption == nil { fatal.append("unknown encryption method \(header.cryptMethod)") }
        if header.encryption == .luks, image.encryptionPointer == nil { fatal.append("LUKS encryption without an encryption header extension") }
        if UInt64(header.l1Size) > Qcow2.maxL1TableBytes / 8 { fatal.append("active L1 table too large") }
        else if UInt64(header.l1Size) < header.requiredL1Size { fatal.append("L1 table is too small for the virtual size") }
        if header.l1Size > 0, !isAligned(header.l1TableOffset) { fatal.append("L1 table offset \(hex(header.l1TableOffset)) is not cluster aligned") }
        if header.refcountTableClusters == 0 { fatal.append("image does not contain a reference count table") }
        if UInt64(header.refcountTableClusters) * clusterSize > Qcow2.maxRefcountTableBytes { fatal.append("reference count table too large") }
        if !isAligned(header.refcountTableOffset) { fatal.append("refcount table offset \(hex(header.refcountTableOffset)) is not cluster aligned") }
        if header.hasBackingFile, header.backingFileSize > Qcow2.maxBackingFileNameLength { fatal.append("backing file name too long") }
        if header.bitmapsConsistent, let ext = image.bitmapsExtension {
            if ext.nbBitmaps == 0 || ext.nbBitmaps > Qcow2.maxBitmaps { fatal.append("bitmaps extension has \(ext.nbBitmaps) bitmaps") }
            if ext.directorySize > Qcow2.maxBitmapDirectoryBytes { fatal.append("bitmap directory too large") }
            if !isAligned(ext.directoryOffset) { fatal.append("bitmap directory offset \(hex(ext.directoryOffset)) is not cluster aligned") }
        }
        for reason in fatal { note(.image, at: 0, severity: .error, "QEMU refuses to open the image: \(reason)") }
    }

    /// `qcow2_check_read_snapshot_table`: the table must be readable; v3 entries need 16 bytes
    /// of extra data; a snapshot whose L1 table is misaligned or too large is not walked.
    mutating func readSnapshotTable() {
        let n = header.nbSnapshots
        guard n > 0 else { return }
        let at = header.snapshotsOffset
        if n > Qcow2.maxSnapshots || !isAligned(at) {
            checkError(.snapshotTable, at: at, n > Qcow2.maxSnapshots ? "\(n) snapshots exceed QEMU's limit" : "snapshot table offset is not cluster aligned")
            fatal.append("the snapshot table cannot be read")
            return
        }
        let (read, problems) = image.readSnapshots()
        for p in problems { note(.snapshotTable, at: p.offset, severity: p.severity, p.message) }
        if read.count < Int(n) {
            checkError(.snapshotTable, at: at, "only \(read.count) of \(n) snapshot table entries could be read")
            fatal.append("the snapshot table cannot be read")
            return
        }
        snapshots = read
        if let last = read.last {
            let unpadded = UInt64(Qcow2.snapshotEntryHeaderSize) + UInt64(last.extraDataSize)
                + UInt64(last.id.bytes.count) + UInt64(last.name.bytes.count)
            snapshotTableBytes = last.entryOffset - at + unpadded
        }
        if hasDataFile { corruption(.snapshotTable, at: at, "\(n) snapshots in an image with an external data file") }
        for s in read {
            var ok = true
            if header.version >= 3, s.extraDataSize < 16 {
                corruption(.snapshotTable, at: s.entryOffset, "snapshot \(s.id.escaped) has \(s.extraDataSize) bytes of extra data; version 3 needs 16")
            }
            if !isAligned(s.l1TableOffset) {
                corruption(.snapshotTable, at: s.entryOffset, "snapshot \(s.id.escaped): L1 table offset \(hex(s.l1TableOffset)) is not cluster aligned")
                ok = false
            } else if UInt64(s.l1Size) > Qcow2.maxL1TableBytes / 8 {
                corruption(.snapshotTable, at: s.entryOffset, "snapshot \(s.id.escaped): L1 table of \(s.l1Size) entries is too large")
                ok = false
            }
            walkable.append(ok)
        }
    }

    /// Owner codes: snapshot `i` is `i + 1`, the active state comes last.
    var activeOwner: UInt32 { UInt32(snapshots.count) + 1 }

    /// `check_refcounts_l1` for the active table and every walkable snapshot, without the L2
    /// tables: counts the L1 clusters and collects the distinct L2 tables.
    mutating func collectL1Tables() {
        directory.activeOrder = Array(repeating: -1, count: Int(header.l1Size))
        if header.l1Size > 0, UInt64(header.l1Size) <= Qcow2.maxL1TableBytes / 8 {
            walkL1(at: header.l1TableOffset, entries: Int(header.l1Size), owner: activeOwner, active: true)
        }
        for (i, s) in snapshots.enumerated() where walkable[i] && s.l1Size > 0 {
            walkL1(at: s.l1TableOffset, entries: Int(s.l1Size), owner: UInt32(i) + 1, active: false)
        }
        directory.seal()
    }

    private mutating func walkL1(at offset: UInt64, entries: Int, owner: UInt32, active: Bool) {
        let bytes = UInt64(entries) * 8
        reference(offset, bytes, role: active ? .l1 : .snapshotL1, owners: mapOwners(owner, owner),
                  what: active ? "active L1 table" : "snapshot L1 table")
        let chunk = buffer.capacity / 8
        var done = 0
        while done < entries {
            let n = min(chunk, entries - done)
            let at = offset + UInt64(done) * 8
            guard let table = buffer.read(file, at: at, count: n * 8) else {
                checkError(.readError, at: at, "the L1 table could not be read")
                return
            }
            for j in 0..<n {
                let raw = table.be64(at: j * 8)
                if raw != 0 { collect(l1Entry: raw, index: done + j, entryOffset: at + UInt64(j) * 8, owner: owner, active: active) }
            }
            done += n
        }
    }

    private mutating func collect(l1Entry raw: UInt64, index: Int, entryOffset: UInt64, owner: UInt32, active: Bool) {
        let entry = L1Entry(raw: raw)
        if entry.reservedBits != 0 {
            corruption(.reservedBits, at: entryOffset, "L1 entry \(index) (\(hex(raw))) has reserved bits set")
        }
        let l2 = entry.l2Offset
        if !isAligned(l2) {
            corruption(.misalignedOffset, at: entryOffset, "L1 entry \(index): L2 table offset \(hex(l2)) is not cluster aligned")
        }
        let (i, duplicate) = directory.add(l2Offset: l2, owner: owner, active: active)
        if duplicate {
            note(.duplicateReference, at: entryOffset, "L1 entry \(index) names the L2 table at \(hex(l2)) a second time")
        }
        if active {
            directory.activeOrder[index] = i
            if l2 != 0 { noteActive(cluster: l2 >> UInt64(clusterBits), copied: entry.isCopied, times: 1) }
        }
    }

    /// The owner range stored per cluster, when ownership is tracked.
    func mapOwners(_ low: UInt32, _ high: UInt32) -> (UInt16, UInt16)? {
        map.tracksOwners ? (UInt16(truncatingIfNeeded: low), UInt16(truncatingIfNeeded: high)) : nil
    }

    /// Counts the L2 tables' own clusters, once per L1 entry naming them.
    mutating func referenceL2Tables() {
        for k in directory.refs.indices {
            let r = directory.refs[k]
            reference(r.offset, clusterSize, role: r.tableRole, times: r.totalRefs,
                      owners: mapOwners(r.ownerLow, r.ownerHigh), what: "L2 table")
        }
    }
}
