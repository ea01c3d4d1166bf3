extension Qcow2Image {
    /// Reads the snapshot table (header snapshots_offset, nb_snapshots) as QEMU opens it
    /// (``SnapshotTableWalk``). A damaged entry ends the walk with a finding; the entries before it
    /// are returned.
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
        let walk = SnapshotTableWalk(file, at: header.snapshotsOffset, count: count, pastEnd: .error)
        if let failure = walk.failure {
            findings.append(Finding(failure))
            findings.append(Finding(.error, .snapshotTable, at: header.snapshotsOffset,
                                    "only \(walk.snapshots.count) of \(count) snapshot entries could be read"))
        }
        return (walk.snapshots, findings)
    }

    /// Reads a snapshot's L1 table, bounded like the active one.
    public func readL1Table(of snapshot: Snapshot) throws(FormatError) -> [UInt64] {
        try readTable(at: snapshot.l1TableOffset, entries: UInt64(snapshot.l1Size),
                      structure: .snapshotL1Table, maxBytes: limits.maxL1TableBytes)
    }
}
