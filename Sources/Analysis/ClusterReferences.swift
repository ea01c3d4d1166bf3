import Qcow2

/// One thing in the image that points at (or lives in) a host cluster.
///
/// A cluster is in use because something references it (spec, "Host cluster management"): the
/// header, an L1 entry naming an L2 table, an L2 entry mapping guest data, a refcount table entry
/// naming a refcount block, a bitmap table entry naming bitmap data, or a header / snapshot /
/// bitmap field locating a table that lies in the cluster. ``offset`` is where that pointer or
/// structure is, so the explorer can jump to it.
public struct ClusterReference: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The cluster is the image header's first cluster.
        case header
        /// The cluster holds part of the LUKS header (Full disk encryption header pointer).
        case cryptoHeader
        /// The cluster holds part of an L1 table (the active one when `snapshot` is nil).
        case l1Table(snapshot: Int?)
        /// L1 entry `index` names this cluster as an L2 table.
        case l1Entry(snapshot: Int?, index: Int)
        /// Entry `index` of the L2 table named by L1 entry `l1Index` maps the guest cluster at
        /// `guestOffset` here (for a compressed cluster: part of its compressed bytes are here).
        case l2Entry(snapshot: Int?, l1Index: Int, index: Int, guestOffset: UInt64, compressed: Bool)
        /// The cluster holds part of the refcount table.
        case refcountTable
        /// Refcount table entry `index` names this cluster as a refcount block.
        case refcountTableEntry(index: Int)
        /// The cluster holds part of the snapshot table.
        case snapshotTable
        /// The cluster holds part of the bitmap directory.
        case bitmapDirectory
        /// The cluster holds part of bitmap `bitmap`'s table (directory order).
        case bitmapTable(bitmap: Int)
        /// Entry `index` of bitmap `bitmap`'s table names this cluster as bitmap data.
        case bitmapTableEntry(bitmap: Int, index: Int)
    }

    public var kind: Kind
    /// File offset of the entry that points here, or of the start of the structure held here.
    public var offset: UInt64

    public init(_ kind: Kind, at offset: UInt64) {
        self.kind = kind
        self.offset = offset
    }

    /// Whether this is a pointer stored in another structure (the cluster holding ``offset`` is
    /// then the referrer), rather than the cluster holding a structure itself.
    public var isEntry: Bool {
        switch kind {
        case .l1Entry, .l2Entry, .refcountTableEntry, .bitmapTableEntry: true
        default: false
        }
    }
}

/// Who references one host cluster, found on demand by walking the image's tables.
///
/// The scan keeps only counts per cluster (memory), so the explorer's drill-down asks again for
/// one cluster: the L1 tables (active and snapshots) and the L2 tables they name, the refcount
/// table, the bitmap tables, and the fields that locate whole structures. The walk is bounded:
/// at most ``limit`` references are kept and at most ``maxL2Bytes`` of L2 tables are read; when
/// the scan's analysis is given, its role, computed refcount and owners for the cluster prune
/// the tables that cannot point here and stop the walk once every counted reference is found.
public struct ClusterReferences: Sendable {
    public static let defaultLimit = 64
    public static let defaultMaxL2Bytes: UInt64 = 64 << 20

    /// The host cluster index searched for.
    public let cluster: UInt64
    public internal(set) var references: [ClusterReference] = []
    /// False when the limit or the read budget stopped the walk before it was done.
    public internal(set) var isComplete = true
    /// Tables that could not be read (each names the structure and its offset).
    public internal(set) var problems: [String] = []
    /// L2 tables read, and their bytes, for the status line and for tests of the bound.
    public internal(set) var l2TablesRead = 0
    public internal(set) var bytesRead: UInt64 = 0

    let limit: Int
    let maxL2Bytes: UInt64
    /// Known references (``init(cluster:in:analysis:known:limit:maxL2Bytes:)``) the search has not met yet.
    var knownPending: [ClusterReference] = []
    /// References the scan counted (stop when all are found); nil without an analysis.
    let expected: UInt64?

    /// Searches `image` for references to host cluster `cluster`.
    public init(cluster: UInt64, in image: Qcow2Image, analysis: ImageAnalysis? = nil, known: [ClusterReference] = [],
                limit: Int = Self.defaultLimit, maxL2Bytes: UInt64 = Self.defaultMaxL2Bytes) {
        self.cluster = cluster
        self.limit = max(1, limit)
        self.maxL2Bytes = maxL2Bytes
        let index = Int(clamping: cluster)
        let role = analysis.map { $0.role(ofCluster: index) }
        let computed = analysis.map { $0.computedRefcount(ofCluster: index) }
        expected = computed.flatMap { $0 > 0 && role != .conflict ? $0 : nil }
        guard image.header.hasUsableGeometry, cluster < (UInt64(1) << (64 - UInt64(image.header.clusterBits))) else {
            problems.append("cluster \(cluster) is outside what the image's geometry can address")
            return
        }
        // Nothing counted a reference: only the structure fields could still name it (a leak
        // or free cluster has none, but a misplaced structure is worth showing).
        // References the caller has read already (the L2 entry a drill-down came from): with
        // them, a cluster the scan counted that many references to needs no search at all,
        // however many L2 tables a multi-terabyte image has.
        for r in known where references.count < self.limit { references.append(r) }
        knownPending = references
        if let expected, UInt64(references.count) >= expected { return }
        let scope = Scope(role: role, computed: computed)
        var walker = ReferenceWalker(image: image, target: cluster)
        findStructures(walker: &walker, scope: scope)
        if scope.l1Entries || scope.l2Entries { walkMappings(walker: &walker, scope: scope, analysis: analysis) }
        if scope.refcountEntries { findRefcountBlockEntries(image: image) }
        if scope.bitmapEntries { findBitmapEntries(image: image, walker: walker) }
    }

    /// Whether the search may stop: the list is full, or every counted reference was found.
    var isSatisfied: Bool {
        if references.count >= limit { return true }
        if let expected, UInt64(references.count) >= expected { return true }
        return false
    }

    /// Adds a reference; returns false (and marks the result incomplete) once the list is full.
    @discardableResult
    mutating func add(_ kind: ClusterReference.Kind, at offset: UInt64) -> Bool {
        // A known reference found again by the search is not a second one (once: the same L2
        // entry named by two L1 tables is two references, as QEMU counts them).
        if let i = knownPending.firstIndex(where: { $0.offset == offset && $0.kind.sameEntry(kind) }) {
            knownPending.remove(at: i)
            return true
        }
        guard references.count < limit else {
            isComplete = false
            return false
        }
        references.append(ClusterReference(kind, at: offset))
        return true
    }
}

/// Which tables can hold a pointer to a cluster of a given role (all of them when the role is
/// unknown or a conflict).
struct Scope {
    var l1Entries = true
    var l2Entries = true
    var refcountEntries = true
    var bitmapEntries = true

    init(role: ClusterRole?, computed: UInt64?) {
        guard let role, role != .conflict else { return }
        if computed == 0 {
            l1Entries = false; l2Entries = false; refcountEntries = false; bitmapEntries = false
            return
        }
        l1Entries = role == .l2 || role == .snapshotL2
        l2Entries = role.isGuestData
        refcountEntries = role == .refcountBlock
        bitmapEntries = role == .bitmapData
    }
}

extension ClusterReference.Kind {
    /// The same entry of the same table, whoever (active or a snapshot) was said to own it: a
    /// reference given by a drill-down and the one the search finds compare equal.
    func sameEntry(_ other: Self) -> Bool {
        switch (self, other) {
        case let (.l2Entry(_, _, a, _, _), .l2Entry(_, _, b, _, _)): a == b
        default: self == other
        }
    }
}
