import Qcow2

/// How much of the file one internal snapshot (or the current disk) uses.
///
/// Bytes are host clusters times the cluster size. ``referencedBytes`` counts the snapshot's L1
/// table, its L2 tables and the data clusters they name. ``exclusiveBytes`` counts the clusters
/// nothing else references, which is what deleting this snapshot alone frees (refcounts fall by
/// one per reference, so a cluster is freed exactly when all its references were this
/// snapshot's). ``parent`` is inferred: the earlier snapshot it shares the most clusters with.
public struct SnapshotUsage: Sendable, Hashable {
    /// The decoded snapshot table entry; nil for the current state (and for an entry only the
    /// check could read).
    public let snapshot: Snapshot?
    /// Position in the snapshot table; nil for the current state.
    public let index: Int?
    public var referencedBytes: UInt64
    /// Nil when ownership could not be tracked (65534 snapshots or more).
    public var exclusiveBytes: UInt64?
    /// Index of the inferred parent snapshot, nil for the first one or when nothing is shared.
    public var parent: Int?
    /// Clusters shared with the parent (0 without one).
    public var sharedWithParentBytes: UInt64
    /// The virtual disk size this state was taken at (extra data disk_size, else the image's).
    public var diskSize: UInt64

    /// Bytes this state shares with other snapshots or the current disk.
    public var sharedBytes: UInt64? { exclusiveBytes.map { referencedBytes >= $0 ? referencedBytes - $0 : 0 } }
    public var isCurrent: Bool { index == nil }

    public init(snapshot: Snapshot?, index: Int?, referencedBytes: UInt64, exclusiveBytes: UInt64?,
                parent: Int?, sharedWithParentBytes: UInt64, diskSize: UInt64) {
        self.snapshot = snapshot
        self.index = index
        self.referencedBytes = referencedBytes
        self.exclusiveBytes = exclusiveBytes
        self.parent = parent
        self.sharedWithParentBytes = sharedWithParentBytes
        self.diskSize = diskSize
    }
}
