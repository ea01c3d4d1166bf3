/// The per host cluster results of a scan: role, computed refcount and snapshot ownership.
///
/// Memory is what `qemu-img check` spends on its in-memory refcount table plus a byte or two:
/// one refcount-sized counter (16 bits, 32 for refcount_order 5-6), one role byte and, only when
/// the image has snapshots, two 16-bit owner codes. The arrays are allocated once, sized by the
/// file (never by a value read from the image), and never grow; the object is immutable once the
/// scan that filled it returns.
public final class ClusterMap: @unchecked Sendable {
    /// Clusters with a slot: the file's clusters plus one, because QEMU counts references that
    /// end less than a cluster past the end of the file.
    public let capacity: Int
    /// Clusters QEMU compares (its in-memory refcount table size): the file's clusters, or one
    /// more when something was referenced in the partial cluster past the end.
    public internal(set) var count: Int
    public let clusterBits: UInt32
    /// The largest refcount the counters hold (the image's refcount_max, capped by the width).
    public let counterMax: UInt64
    /// Whether ``owners(at:)`` is tracked (the image has 1...65534 snapshots).
    public let tracksOwners: Bool

    let roles: UnsafeMutablePointer<UInt8>
    let narrow: UnsafeMutablePointer<UInt16>?
    let wide: UnsafeMutablePointer<UInt32>?
    let ownerLow: UnsafeMutablePointer<UInt16>?
    let ownerHigh: UnsafeMutablePointer<UInt16>?

    /// Low five bits of a role byte hold the role; the scan borrows the top three for the
    /// COPIED check (active reference with COPIED set, without it, counted in the side table).
    static let roleMask: UInt8 = 0x1F
    static let copiedSeen: UInt8 = 0x20
    static let notCopiedSeen: UInt8 = 0x40
    static let copiedCounted: UInt8 = 0x80

    init(fileClusters: Int, clusterBits: UInt32, refcountOrder: UInt32, ownerTracking: Bool) {
        capacity = fileClusters + 1
        count = fileClusters
        self.clusterBits = clusterBits
        let refcountMax = RefcountBlock.maxRefcount(order: refcountOrder)
        roles = .allocate(capacity: capacity)
        roles.initialize(repeating: 0, count: capacity)
        if refcountOrder <= 4 {
            narrow = .allocate(capacity: capacity)
            narrow?.initialize(repeating: 0, count: capacity)
            wide = nil
            counterMax = min(refcountMax, UInt64(UInt16.max))
        } else {
            wide = .allocate(capacity: capacity)
            wide?.initialize(repeating: 0, count: capacity)
            narrow = nil
            counterMax = min(refcountMax, UInt64(UInt32.max))
        }
        tracksOwners = ownerTracking
        if ownerTracking {
            ownerLow = .allocate(capacity: capacity)
            ownerLow?.initialize(repeating: 0, count: capacity)
            ownerHigh = .allocate(capacity: capacity)
            ownerHigh?.initialize(repeating: 0, count: capacity)
        } else {
            ownerLow = nil
            ownerHigh = nil
        }
    }

    deinit {
        roles.deallocate()
        narrow?.deallocate()
        wide?.deallocate()
        ownerLow?.deallocate()
        ownerHigh?.deallocate()
    }

    /// The role of host cluster `index` (``ClusterRole/free`` outside the map).
    public func role(at index: Int) -> ClusterRole {
        guard index >= 0, index < count else { return .free }
        return ClusterRole(rawValue: roles[index] & Self.roleMask) ?? .conflict
    }

    /// How many references the scan counted to host cluster `index` (QEMU's "reference=").
    public func computedRefcount(at index: Int) -> UInt64 {
        guard index >= 0, index < capacity else { return 0 }
        if let narrow { return UInt64(narrow[index]) }
        if let wide { return UInt64(wide[index]) }
        return 0
    }

    /// Who references host cluster `index`, as the lowest and highest owner code
    /// (``OwnerCode``); nil when ownership is not tracked or nothing owns it.
    public func owners(at index: Int) -> (low: OwnerCode, high: OwnerCode)? {
        guard let ownerLow, let ownerHigh, index >= 0, index < capacity, ownerLow[index] != 0 else { return nil }
        return (OwnerCode(raw: ownerLow[index]), OwnerCode(raw: ownerHigh[index]))
    }

    /// Byte offset of cluster `index`.
    public func offset(of index: Int) -> UInt64 { UInt64(index) << UInt64(clusterBits) }
}

/// Identifies who references a cluster: snapshot `i` (table order) or the active state, which
/// sorts after every snapshot so "highest owner is active" means "the current disk uses it".
public struct OwnerCode: Sendable, Hashable, Comparable {
    public let raw: UInt16
    public init(raw: UInt16) { self.raw = raw }
    static func snapshot(_ index: Int) -> OwnerCode { OwnerCode(raw: UInt16(index + 1)) }
    static func active(snapshotCount: Int) -> OwnerCode { OwnerCode(raw: UInt16(snapshotCount + 1)) }
    /// The snapshot index, or nil for the active state (given the snapshot count).
    public func snapshotIndex(snapshotCount: Int) -> Int? {
        Int(raw) >= 1 && Int(raw) <= snapshotCount ? Int(raw) - 1 : nil
    }
    public static func < (a: OwnerCode, b: OwnerCode) -> Bool { a.raw < b.raw }
}
