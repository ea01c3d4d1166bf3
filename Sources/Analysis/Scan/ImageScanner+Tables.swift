extension ImageScanner {
    /// `qcow2_check_read_snapshot_table`: the table must be readable; v3 entries need 16 bytes
    /// of extra data; a snapshot whose L1 table is misaligned or too large is not walked.
    mutating func readSnapshotTable() {
        let n = header.nbSnapshots
        guard n > 0 else { return }
        let at = header.snapshotsOffset
        switch SnapshotTableReader.read(file, offset: at, count: n, clusterSize: clusterSize) {
        case .failure(let e):
            checkError(.snapshotTable, at: e.offset, e.reason)
            fatal.append("the snapshot table cannot be read: \(e.reason)")
            return
        case .success(let table):
            snapshots = table.entries
            snapshotTableBytes = table.bytes
        }
        if hasDataFile { corruption(.snapshotTable, at: at, "\(n) snapshots in an image with an external data file") }
        for s in snapshots {
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

    /// Owners: snapshot `i` is owner `i`, the current disk comes last.
    var activeOwner: UInt32 { UInt32(snapshots.count) }

    /// `check_refcounts_l1` for the active table and every walkable snapshot, without the L2
    /// tables: counts the L1 clusters and collects the distinct L2 tables.
    mutating func collectL1Tables() {
        if header.l1Size > 0, UInt64(header.l1Size) <= Qcow2.maxL1TableBytes / 8 {
            directory.activeOrder = Array(repeating: -1, count: Int(header.l1Size))
            walkL1(at: header.l1TableOffset, entries: Int(header.l1Size), owner: activeOwner, active: true)
        }
        for (i, s) in snapshots.enumerated() where walkable[i] && s.l1Size > 0 {
            walkL1(at: s.l1TableOffset, entries: Int(s.l1Size), owner: UInt32(i), active: false)
        }
        directory.seal()
    }

    private mutating func walkL1(at offset: UInt64, entries: Int, owner: UInt32, active: Bool) {
        let bytes = UInt64(entries) * 8
        // QEMU's block layer refuses requests that end beyond 2^63: an I/O error ends the check.
        guard offset <= UInt64(Int64.max) - bytes else {
            reference(offset, bytes, role: active ? .l1 : .snapshotL1, what: active ? "active L1 table" : "snapshot L1 table")
            checkError(.readError, at: offset, "the L1 table at \(hex(offset)) cannot be read")
            fatal.append("I/O error reading an L1 table")
            return
        }
        let single = ownerSet(of: owner)
        reference(offset, bytes, role: active ? .l1 : .snapshotL1, owners: single,
                  what: active ? "active L1 table" : "snapshot L1 table")
        let chunk = buffer.capacity / 8
        var done = 0
        while done < entries {
            let n = min(chunk, entries - done)
            let at = offset &+ UInt64(done) &* 8
            guard let table = buffer.read(file, at: at, count: n * 8) else {
                checkError(.readError, at: at, "the L1 table could not be read")
                return
            }
            for j in 0..<n {
                let raw = table.be64(at: j * 8)
                if raw != 0 {
                    collect(l1Entry: raw, index: done + j, entryOffset: at &+ UInt64(j) &* 8, owner: owner,
                            ownerSet: single, active: active)
                }
            }
            done += n
        }
    }

    private mutating func collect(l1Entry raw: UInt64, index: Int, entryOffset: UInt64, owner: UInt32,
                                  ownerSet single: UInt32, active: Bool) {
        let entry = L1Entry(raw: raw)
        if entry.reservedBits != 0 {
            corruption(.reservedBits, at: entryOffset, "L1 entry \(index) (\(hex(raw))) has reserved bits set")
        }
        let l2 = entry.l2Offset
        if !isAligned(l2) {
            corruption(.misalignedOffset, at: entryOffset, "L1 entry \(index): L2 table offset \(hex(l2)) is not cluster aligned")
        }
        let (i, duplicate) = directory.add(l2Offset: l2, owner: owner, active: active)
        if map.tracksOwners { directory.refs[Int(i)].ownerSet = sets.union(directory.refs[Int(i)].ownerSet, single) }
        if duplicate {
            note(.duplicateReference, at: entryOffset, "L1 entry \(index) names the L2 table at \(hex(l2)) a second time")
        }
        if active {
            directory.activeOrder[index] = i
            if l2 != 0 { noteActive(cluster: l2 >> UInt64(clusterBits), copied: entry.isCopied, times: 1) }
        }
    }

    /// The set holding only `owner`, or 0 when ownership is not tracked.
    mutating func ownerSet(of owner: UInt32) -> UInt32 {
        map.tracksOwners ? sets.singleton(Int(owner)) : 0
    }

    /// Counts the L2 tables' own clusters, once per L1 entry naming them.
    mutating func referenceL2Tables() {
        for k in directory.refs.indices {
            let r = directory.refs[k]
            reference(r.offset, clusterSize, role: r.tableRole, times: r.totalRefs,
                      owners: r.ownerSet, what: "L2 table")
        }
    }
}
