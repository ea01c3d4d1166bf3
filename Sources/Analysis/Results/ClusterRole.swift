/// What one host cluster of the image file is used for, as the scan found it.
///
/// One byte per host cluster (the raw value), so the whole file's map costs what QEMU's
/// in-memory refcount table costs. `free` is zero so a freshly allocated table means
/// "nothing references this cluster". Names in JSON are ``jsonName``.
public enum ClusterRole: UInt8, Sendable, Hashable, CaseIterable, Comparable {
    /// Nothing references it and the refcount blocks say 0 (spec, "Host cluster management").
    case free = 0
    /// The first cluster: header, header extensions, backing file name (spec, "Header").
    case header
    /// The active L1 table (header l1_table_offset).
    case l1
    /// An L2 table reachable from the active L1 (possibly also from snapshots).
    case l2
    case refcountTable
    case refcountBlock
    case snapshotTable
    /// An L1 table of an internal snapshot (snapshot table entry l1_table_offset).
    case snapshotL1
    /// An L2 table reachable only from snapshots.
    case snapshotL2
    case bitmapDirectory
    case bitmapTable
    case bitmapData
    /// The LUKS header area (Full disk encryption header pointer).
    case cryptoHeader
    /// Guest data referenced only by the active L1.
    case data
    /// Guest data referenced by the active L1 and at least one snapshot.
    case dataShared
    /// Guest data referenced only by snapshots.
    case snapshotData
    /// Holds (part of) compressed clusters.
    case compressed
    /// Nothing references it but its stored refcount is not 0 (QEMU: "Leaked cluster").
    case leaked
    /// Two incompatible roles claim it (metadata over metadata or data).
    case conflict

    /// The name used in JSON output and in the explorer's legend.
    public var jsonName: String {
        switch self {
        case .free: "free"
        case .header: "header"
        case .l1: "l1"
        case .l2: "l2"
        case .refcountTable: "refcount-table"
        case .refcountBlock: "refcount-block"
        case .snapshotTable: "snapshot-table"
        case .snapshotL1: "snapshot-l1"
        case .snapshotL2: "snapshot-l2"
        case .bitmapDirectory: "bitmap-directory"
        case .bitmapTable: "bitmap-table"
        case .bitmapData: "bitmap-data"
        case .cryptoHeader: "crypto-header"
        case .data: "data"
        case .dataShared: "data-shared"
        case .snapshotData: "snapshot-data"
        case .compressed: "compressed"
        case .leaked: "leaked"
        case .conflict: "conflict"
        }
    }

    /// True for the roles that hold guest data rather than metadata.
    public var isGuestData: Bool {
        self == .data || self == .dataShared || self == .snapshotData || self == .compressed
    }

    /// True for qcow2 metadata structures.
    public var isMetadata: Bool { !isGuestData && self != .free && self != .leaked && self != .conflict }

    public static func < (a: ClusterRole, b: ClusterRole) -> Bool { a.rawValue < b.rawValue }

    /// The role whose ``jsonName`` is `name`.
    public init?(jsonName name: String) {
        guard let role = Self.allCases.first(where: { $0.jsonName == name }) else { return nil }
        self = role
    }
}

extension ClusterRole {
    /// Combines a role already recorded for a cluster with a new claim on it.
    ///
    /// Data claims merge by who owns them (active, snapshots or both); an L2 table claimed by
    /// the active state and by snapshots is an active L2; anything else that differs is a
    /// conflict. Returns nil when the combination is a conflict.
    @inline(__always)
    static func merge(_ old: ClusterRole, _ new: ClusterRole) -> ClusterRole? {
        if old == new || old == .free { return new }
        switch (old, new) {
        case (.data, .snapshotData), (.snapshotData, .data), (.dataShared, .data), (.dataShared, .snapshotData),
             (.data, .dataShared), (.snapshotData, .dataShared):
            return .dataShared
        case (.l2, .snapshotL2), (.snapshotL2, .l2):
            return .l2
        default:
            return nil
        }
    }
}
