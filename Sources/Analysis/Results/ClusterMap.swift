/// The per host cluster results of a scan: role, computed refcount and snapshot ownership.
///
/// Memory stays below what `qemu-img check` spends on its in-memory refcount table plus a byte:
/// one role byte and one counter byte per host cluster, plus, only for the 64 Ki-cluster pages
/// where some count passes 254, a 32-bit page holding the higher bits (so an image whose
/// clusters are shared by hundreds of snapshots costs what QEMU's 16-bit table costs). Only
/// when the image has snapshots are two 16-bit owner codes added. The arrays are sized by the
/// file (never by a value read from the image) and never grow; the object is immutable once
/// the scan that filled it returns.
public final class ClusterMap: @unchecked Sendable {
    /// Clusters with a slot: the file's clusters plus one, because QEMU counts references that
    /// end less than a cluster past the end of the file.
    public let capacity: Int
    /// Clusters QEMU compares (its in-memory refcount table size): the file's clusters, or one
    /// more when something was referenced in the partial cluster past the end. Set once by the
    /// scan when it finishes.
    public private(set) var count: Int
    public let clusterBits: UInt32
    /// The largest refcount the counters hold (the image's refcount_max, capped at 2^40 - 1).
    public let counterMax: UInt64
    /// Whether ``owners(at:)`` is tracked (the image has 1...65533 snapshots).
    public let tracksOwners: Bool

    let roles: UnsafeMutablePointer<UInt8>
    let low: UnsafeMutablePointer<UInt8>
    let highPages: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>
    let pageCount: Int
    let ownerLow: UnsafeMutablePointer<UInt16>?
    let ownerHigh: UnsafeMutablePointer<UInt16>?

    static let pageShift = 16
    static let pageSize = 1 << pageShift

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
        counterMax = min(RefcountBlock.maxRefcount(order: refcountOrder), (1 << 40) - 1)
        roles = .allocate(capacity: capacity)
        roles.initialize(repeating: 0, count: capacity)
        low = .allocate(capacity: capacity)
        low.initialize(repeating: 0, count: capacity)
        pageCount = (capacity + Self.pageSize - 1) >> Self.pageShift
        highPages = .allocate(capacity: pageCount)
        highPages.initialize(repeating: nil, count: pageCount)
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
        low.deallocate()
        for p in 0..<pageCount { highPages[p]?.deallocate() }
        highPages.deallocate()
        ownerLow?.deallocate()
        ownerHigh?.deallocate()
    }

    /// The role of host cluster `index` (``ClusterRole/free`` outside the map).
    public func role(at index: Int) -> ClusterRole {
        guard index >= 0, index < count else { return .free }
        return ClusterRole(rawValue: roles[index] & Self.roleMask) ?? .conflict
    }

    /// How many references the scan counted to host cluster `index` (QEMU's "reference=").
    @inline(__always)
    public func computedRefcount(at index: Int) -> UInt64 {
        guard index >= 0, index < capacity else { return 0 }
        guard let page = highPages[index >> Self.pageShift] else { return UInt64(low[index]) }
        return UInt64(low[index]) | UInt64(page[index & (Self.pageSize - 1)]) << 8
    }

    /// Adds `times` to the count of cluster `index`, saturating at ``counterMax``; returns how
    /// many references did not fit (QEMU counts each as an overflow corruption).
    @inline(__always)
    func add(_ times: UInt64, at index: Int) -> UInt64 {
        let v = UInt64(low[index])
        if v + times < 255, highPages[index >> Self.pageShift] == nil {
            low[index] = UInt8(truncatingIfNeeded: v + times)
            return 0
        }
        let current = computedRefcount(at: index)
        let fits = min(times, counterMax - min(current, counterMax))
        let value = current + fits
        low[index] = UInt8(truncatingIfNeeded: value)
        if value > 0xFF || highPages[index >> Self.pageShift] != nil {
            let page = highPages[index >> Self.pageShift] ?? {
                let p = UnsafeMutablePointer<UInt32>.allocate(capacity: Self.pageSize)
                p.initialize(repeating: 0, count: Self.pageSize)
                highPages[index >> Self.pageShift] = p
                return p
            }()
            page[index & (Self.pageSize - 1)] = UInt32(truncatingIfNeeded: value >> 8)
        }
        return times - fits
    }

    /// Sets the compared cluster count when the scan ends.
    func setCount(_ n: Int) { count = min(max(n, 0), capacity) }

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
