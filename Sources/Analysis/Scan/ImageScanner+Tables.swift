import Qcow2

extension ImageScanner {
    /// `qcow2_check_read_snapshot_table`: the table must be readable; v3 entries need 16 bytes
    /// of extra data; a snapshot whose L1 table is misaligned or too large is not walked.
    mutating func readSnapshotTable() {
        let n = header.nbSnapshots
        guard n > 0 else { return }
        let at = header.snapshotsOffset
        if let reason = snapshotTableRefusal(at: at, count: n) {
            checkError(.snapshotTable, at: at, reason)
            fatal.append("the snapshot table cannot be read: \(reason)")
            return
        }
        // Past the end of the file QEMU's block layer reads zeros, and its check goes on.
        let walk = SnapshotTableWalk(file, at: at, count: n, pastEnd: .zeros)
        if let e = walk.failure {
            checkError(.snapshotTable, at: e.offset, e.reason)
            fatal.append("the snapshot table cannot be read: \(e.reason)")
            return
        }
        snapshots = walk.snapshots
        snapshotTableBytes = walk.bytes
        if hasDataFile { corruption(.snapshotTable, at: at, "\(n) snapshots in an image with an external data file") }
        for s in snapshots {
            var ok = true
            if header.version >= 3, s.extraDataSize < 16 {
                corruption(.snapshotTable, at: s.entryOffset, "snapshot \(s.id.escaped(limit: 64)) has \(s.extraDataSize) bytes of extra data; version 3 needs 16")
            }
            if !isAligned(s.l1TableOffset) {
                corruption(.snapshotTable, at: s.entryOffset, "snapshot \(s.id.escaped(limit: 64)): L1 table offset \(hex(s.l1TableOffset)) is not cluster aligned")
                ok = false
            } else if UInt64(s.l1Size) > Qcow2.maxL1TableBytes / 8 {
                corruption(.snapshotTable, at: s.entryOffset, "snapshot \(s.id.escaped(limit: 64)): L1 table of \(s.l1Size) entries is too large")
                ok = false
            }
            walkable.append(ok)
        }
    }

    /// Owners: snapshot `i` is owner `i`, the current disk comes last.
    var activeOwner: UInt32 { UInt32(snapshots.count) }

    /// Why `qcow2_check_read_snapshot_table` refuses the table before reading an entry: more
    /// snapshots than QEMU allows, or an offset that is misaligned or leaves no room for them.
    func snapshotTableRefusal(at start: UInt64, count: UInt32) -> String? {
        guard count <= Qcow2.maxSnapshots else { return "\(count) snapshots exceed QEMU's limit of \(Qcow2.maxSnapshots)" }
        guard isAligned(start), start <= UInt64(Int64.max) - UInt64(count) * 40 else {
            return "snapshot table offset \(hex(start)) is invalid"
        }
        return nil
    }

    /// `check_refcounts_l1` for the active table and every walkable snapshot, without the L2
    /// tables: counts the L1 clusters, checks the entries and collects the distinct L2 tables.
    /// The L1 tables are read twice (first only to count their entries), so the entry list is
    /// allocated once at its exact size.
    mutating func collectL1Tables() {
        var l1s: [(offset: UInt64, entries: Int, owner: UInt32)] = []
        if header.l1Size > 0, UInt64(header.l1Size) <= Qcow2.maxL1TableBytes / 8 {
            directory.activeOrder = Array(repeating: -1, count: Int(header.l1Size))
            l1s.append((header.l1TableOffset, Int(header.l1Size), activeOwner))
        }
        for (i, s) in snapshots.enumerated() where walkable[i] && s.l1Size > 0 {
            l1s.append((s.l1TableOffset, Int(s.l1Size), UInt32(i)))
        }
        // Every L1 table, for a remote source to fetch together (the active one, announced with
        // the refcount table, is cached by now); bounded as the walk below is.
        var announced = 0
        file.prefetch(l1s.prefix { t in
            announced += t.entries
            return announced <= Self.maxL1Entries
        }.compactMap { t in
            let bytes = UInt64(t.entries) * 8
            return t.offset <= UInt64.max - bytes ? t.offset..<(t.offset + bytes) : nil
        })
        var total = 0
        for (k, t) in l1s.enumerated() {
            var n = 0
            forEachL1Entry(at: t.offset, entries: t.entries) { _, _ in n += 1 }
            // Snapshots can all name the same (or overlapping) L1 tables: bound the entry list.
            guard total + n <= Self.maxL1Entries else {
                checkError(.snapshotTable, at: header.snapshotsOffset,
                           "the L1 tables hold more than \(Self.maxL1Entries) entries: \(l1s.count - k) of them are not walked")
                fatal.append("too many L1 entries to check")
                l1s.removeLast(l1s.count - k)
                break
            }
            total += n
        }
        var records: [L1Record] = []
        records.reserveCapacity(total)
        for t in l1s {
            let active = t.owner == activeOwner
            let bytes = UInt64(t.entries) * 8
            reference(t.offset, bytes, role: active ? .l1 : .snapshotL1, owners: ownerSet(of: t.owner),
                      what: active ? "active L1 table" : "snapshot L1 table")
            // QEMU's block layer refuses requests that end beyond 2^63: an I/O error ends the check.
            guard t.offset <= UInt64(Int64.max) - bytes else {
                checkError(.readError, at: t.offset, "the L1 table at \(hex(t.offset)) cannot be read")
                fatal.append("I/O error reading an L1 table")
                continue
            }
            let chunk = buffer.capacity / 8
            var done = 0
            while done < t.entries {
                let n = min(chunk, t.entries - done)
                let at = t.offset &+ UInt64(done) &* 8
                guard let table = buffer.read(file, at: at, count: n * 8) else {
                    checkError(.readError, at: at, "the L1 table could not be read")
                    break
                }
                for j in 0..<n where table.be64(at: j * 8) != 0 && records.count < total {
                    let raw = table.be64(at: j * 8)
                    check(l1Entry: raw, index: done + j, entryOffset: at &+ UInt64(j) &* 8, active: active)
                    records.append(L1Record(l2Offset: raw & Qcow2.l1OffsetMask, owner: t.owner, index: UInt32(done + j)))
                }
                done += n
            }
        }
        let tracking = map.tracksOwners
        var sets = self.sets
        var duplicates: [L1Record] = []
        directory.build(from: &records, activeOwner: activeOwner,
                        ownerSet: { tracking ? sets.union($0, sets.singleton(Int($1))) : 0 },
                        duplicate: { duplicates.append($0) })
        self.sets = sets
        for d in duplicates.prefix(FindingLog.samplesPerKind) {
            let active = d.owner == activeOwner
            let l1 = active ? header.l1TableOffset : snapshots[Int(d.owner)].l1TableOffset
            let which = active ? "active" : "snapshot \(snapshots[Int(d.owner)].id.escaped(limit: 64))"
            note(.duplicateReference, at: l1 &+ UInt64(d.index) &* 8,
                 "L1 entry \(d.index) of the \(which) L1 table names the L2 table at \(hex(d.l2Offset)) again")
        }
    }

    /// Most non-zero L1 entries collected over all L1 tables (16 bytes each, 64 MiB): beyond any
    /// real image (1,000 snapshots of a 2 TiB disk hold 4 M), small enough to stay in memory.
    static let maxL1Entries = 4 << 20

    /// Calls `body` with the index and value of every non-zero entry of an L1 table, read in
    /// chunks through the scan buffer (nothing for a table past 2^63 or unreadable).
    private func forEachL1Entry(at offset: UInt64, entries: Int, _ body: (Int, UInt64) -> Void) {
        guard offset <= UInt64(Int64.max) - UInt64(entries) * 8 else { return }
        let chunk = buffer.capacity / 8
        var done = 0
        while done < entries {
            let n = min(chunk, entries - done)
            guard let table = buffer.read(file, at: offset &+ UInt64(done) &* 8, count: n * 8) else { return }
            for j in 0..<n {
                let raw = table.be64(at: j * 8)
                if raw != 0 { body(done + j, raw) }
            }
            done += n
        }
    }

    /// The checks `check_refcounts_l1` makes on one non-zero entry, and the COPIED flag of the
    /// active ones for `check_oflag_copied`.
    private mutating func check(l1Entry raw: UInt64, index: Int, entryOffset: UInt64, active: Bool) {
        let entry = L1Entry(raw: raw)
        if entry.reservedBits != 0 {
            corruption(.reservedBits, at: entryOffset, "L1 entry \(index) (\(hex(raw))) has reserved bits set")
        }
        let l2 = entry.l2Offset
        if !isAligned(l2) {
            corruption(.misalignedOffset, at: entryOffset, "L1 entry \(index): L2 table offset \(hex(l2)) is not cluster aligned")
        }
        if active, l2 != 0 { noteActive(cluster: l2 >> UInt64(clusterBits), copied: entry.isCopied, times: 1) }
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
