/// Where every byte of the image file goes — the answer to "why is my qcow2 bigger than my data".
/// The categories add up to the file size exactly: each host cluster of the file is in exactly
/// one, and the last cluster counts only the bytes the file has (a file whose size is not a
/// whole number of clusters ends in a partial cluster; its bytes are in that cluster's category).
///
/// Host clusters, not guest bytes: a category says what shrinking the file could give back. So:
/// - a data cluster holding guest bytes of several kinds takes the kind that keeps it in the
///   file: in use, then not analysed, then outside volumes, then reclaimable (a cluster with one
///   used filesystem block cannot be freed); with extended L2, a cluster whose used subcluster
///   sits beside free ones is in use, though the volume figures count its free subclusters;
/// - a compressed host cluster holds pieces of several guest clusters: its bytes are split in
///   proportion to the compressed bytes of each kind in it (a guest cluster's compressed bytes
///   count as its strongest kind), so a compressed image shows its reclaimable share too; it is
///   a snapshot's when only snapshots' compressed clusters are in it;
/// - clusters shared by the active layer and snapshots are the active layer's (converting the
///   current disk drops them only if they are free in the guest; deleting snapshots does not).
public struct SpaceBreakdown: Sendable, Hashable {
    /// Header, L1/L2 tables, refcount table and blocks, snapshot table, bitmaps, encryption header.
    public var metadata: UInt64 = 0
    /// Guest data the filesystems use (or free bytes sharing a cluster with used ones).
    public var inUse: UInt64 = 0
    /// Guest data the filesystems call free: discard in the guest, then `qemu-img convert`.
    public var reclaimable: UInt64 = 0
    /// Guest data outside every volume (partition tables, gaps, after the last partition).
    public var outsideVolumes: UInt64 = 0
    /// Guest data in volumes whose filesystem was not read (and all data of an encrypted image).
    public var notAnalysed: UInt64 = 0
    /// Data and tables only internal snapshots reference: deleting the snapshots frees them.
    public var snapshots: UInt64 = 0
    /// Clusters nothing references whose refcount is not 0 (`qemu-img check -r leaks` frees them).
    public var leaked: UInt64 = 0
    /// Clusters inside the file with refcount 0: holes in the file's use, reused by later writes.
    public var free: UInt64 = 0
    /// Host clusters the active layer keeps without guest data in them: preallocated zero
    /// clusters and unallocated subclusters of allocated clusters.
    public var preallocated: UInt64 = 0
    /// Clusters claimed by two incompatible structures (the image is damaged: see `check`).
    public var damaged: UInt64 = 0

    public init() {}

    /// The categories in display order with their JSON keys (`breakdown` in `space --json`).
    public var categories: [(key: String, title: String, bytes: UInt64)] {
        [("metadata", "qcow2 metadata", metadata),
         ("in-use", "guest data in use", inUse),
         ("reclaimable", "guest data the filesystem calls free", reclaimable),
         ("outside-volumes", "guest data outside every volume", outsideVolumes),
         ("not-analysed", "guest data in volumes not analysed", notAnalysed),
         ("snapshots", "held only by snapshots", snapshots),
         ("preallocated", "preallocated, no guest data", preallocated),
         ("leaked", "leaked clusters", leaked),
         ("free", "free clusters inside the file", free),
         ("damaged", "claimed twice (damaged)", damaged)]
    }

    /// The sum of the categories: the file size.
    public var total: UInt64 { categories.reduce(0) { $0 &+ $1.bytes } }

    mutating func add(_ bytes: UInt64, to kind: GuestSpaceClass) {
        switch kind {
        case .inUse: inUse += bytes
        case .free: reclaimable += bytes
        case .outsideVolumes: outsideVolumes += bytes
        case .notAnalysed: notAnalysed += bytes
        }
    }
}
