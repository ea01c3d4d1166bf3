extension Qcow2Image {
    /// Reads the snapshot table (header snapshots_offset, nb_snapshots) the way QEMU's
    /// `qcow2_read_snapshots` walks it: entries 8-aligned, extra data ≤ 1024 bytes, the whole table
    /// ≤ 64 MiB. A damaged entry ends the walk with a finding; the entries before it are returned.
    public func readSnapshots() -> (snapshots: [Snapshot], findings: [Finding]) {
        let count = header.nbSnapshots
        guard count > 0, header.hasUsableGeometry else { return ([], []) }
        var findings: [Finding] = []
        if count > limits.maxSnapshots {
            return ([], [Finding(.error, .snapshotTable, at: header.snapshotsOffset,
                                 "\(count) snapshots exceed the limit of \(limits.maxSnapshots)")])
        }
        if header.snapshotsOffset & (header.clusterSize - 1) != 0 {
            findings.append(Finding(.error, .snapshotTable, at: header.snapshotsOffset, "snapshot table is not aligned to a cluster"))
        }
        var snapshots: [Snapshot] = []
        var offset = header.snapshotsOffset
        for index in 0..<Int(count) {
            let (aligned, overflow) = offset.addingReportingOverflow(7)
            offset = aligned & ~7
            guard !overflow, offset &- header.snapshotsOffset <= Qcow2.maxSnapshotTableBytes else {
                findings.append(Finding(.error, .snapshotTable, at: header.snapshotsOffset, "snapshot table exceeds 64 MiB"))
                break
            }
            do {
                let s = try readSnapshotEntry(index: index, at: offset)
                snapshots.append(s)
                offset &+= UInt64(s.entryLength)
            } catch {
                findings.append(Finding(error))
                break
            }
        }
        if snapshots.count < Int(count) {
            findings.append(Finding(.error, .snapshotTable, at: header.snapshotsOffset,
                                    "only \(snapshots.count) of \(count) snapshot entries could be read"))
        }
        return (snapshots, findings)
    }

    private func readSnapshotEntry(index: Int, at offset: UInt64) throws(FormatError) -> Snapshot {
        let fixed = try file.readBytes(Qcow2.snapshotEntryHeaderSize, at: offset, for: .snapshotTable)
        let r = ByteReader(fixed, baseOffset: offset, structure: .snapshotTable)
        let idSize = Int(try r.getU16(at: 12))
        let nameSize = Int(try r.getU16(at: 14))
        let extraSize = try r.getU32(at: 36)
        guard extraSize <= Qcow2.maxSnapshotExtraData else {
            throw FormatError(.snapshotTable, at: offset + 36, "snapshot \(index): \(extraSize) bytes of extra data exceed 1024")
        }
        let rest = try file.readBytes(Int(extraSize) + idSize + nameSize, at: offset + 40, for: .snapshotTable)
        let extra = ByteReader(Array(rest[0..<Int(extraSize)]), baseOffset: offset + 40, structure: .snapshotTable)
        let e = Int(extraSize)
        var snapshot = Snapshot(
            index: index, entryOffset: offset,
            l1TableOffset: try r.getU64(at: 0), l1Size: try r.getU32(at: 8),
            id: RawString(Array(rest[e..<(e + idSize)])),
            name: RawString(Array(rest[(e + idSize)..<(e + idSize + nameSize)])),
            dateSeconds: try r.getU32(at: 16), dateNanoseconds: try r.getU32(at: 20),
            vmClockNanoseconds: try r.getU64(at: 24), vmStateSize32: try r.getU32(at: 32),
            extraDataSize: extraSize, vmStateSizeLarge: nil, diskSize: nil, icountRaw: nil,
            unknownExtraData: e > 24 ? Array(rest[24..<e]) : [])
        if e >= 8 { snapshot.vmStateSizeLarge = try extra.getU64(at: 0) }
        if e >= 16 { snapshot.diskSize = try extra.getU64(at: 8) }
        if e >= 24 { snapshot.icountRaw = try extra.getU64(at: 16) }
        return snapshot
    }

    /// Reads a snapshot's L1 table, bounded like the active one.
    public func readL1Table(of snapshot: Snapshot) throws(FormatError) -> [UInt64] {
        try readTable(at: snapshot.l1TableOffset, entries: UInt64(snapshot.l1Size),
                      structure: .snapshotL1Table, maxBytes: limits.maxL1TableBytes)
    }
}
