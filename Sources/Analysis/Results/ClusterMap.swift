import Qcow2

/// The per host cluster results of a scan: role, computed refcount and snapshot ownership.
///
/// Memory stays below what `qemu-img check` spends on its in-memory refcount table plus a byte:
/// one role byte and one counter byte per host cluster, plus, only for the 64 Ki-cluster pages
/// where some count passes 254, a 32-bit page holding the higher bits (so an image whose
/// clusters are shared by hundreds of snapshots costs what QEMU's 16-bit table costs). Only
/// when the image has snapshots is an owner set id added (``OwnerSets``), usually one byte
/// (``OwnerIDTable``). The arrays are sized by the
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
    /// The largest count the low byte holds without a high page, and that stays within
    /// ``counterMax`` (1 for 1-bit refcounts).
    let byteLimit: UInt64
    /// Whether ``ownerSet(at:)`` is tracked (the image has 1...4095 snapshots).
    public let tracksOwners: Bool

    let roles: UnsafeMutablePointer<UInt8>
    let low: UnsafeMutablePointer<UInt8>
    let highPages: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>
    let pageCount: Int
    let ownerIDs: OwnerIDTable?

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
        byteLimit = min(counterMax, 254)
        roles = ZeroedMemory.allocatePages(UInt8.self, count: capacity)
        low = ZeroedMemory.allocatePages(UInt8.self, count: capacity)
        pageCount = (capacity + Self.pageSize - 1) >> Self.pageShift
        highPages = .allocate(capacity: pageCount)
        highPages.initialize(repeating: nil, count: pageCount)
        tracksOwners = ownerTracking
        ownerIDs = ownerTracking ? OwnerIDTable(count: capacity) : nil
    }

    deinit {
        ZeroedMemory.release(roles, count: capacity)
        ZeroedMemory.release(low, count: capacity)
        for p in 0..<pageCount { highPages[p]?.deallocate() }
        highPages.deallocate()
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
        if v + times <= byteLimit, highPages[index >> Self.pageShift] == nil {
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

    /// The id of the set of owners (snapshots, current disk) referencing host cluster `index`
    /// in ``ImageAnalysis/ownerSets``; nil when ownership is not tracked or nothing owns it.
    public func ownerSet(at index: Int) -> UInt32? {
        guard let ownerIDs, index >= 0, index < capacity else { return nil }
        let id = ownerIDs[index]
        return id == 0 ? nil : id
    }

    /// The owner sets the ids of ``ownerSet(at:)`` refer to (set once when the scan ends).
    public private(set) var ownerSetTable: OwnerSets?

    func setOwnerSetTable(_ table: OwnerSets) { ownerSetTable = table }

    /// Who references host cluster `index`, as the lowest and highest ``OwnerCode`` of its owner
    /// set; nil when ownership is not tracked or nothing owns it.
    public func owners(at index: Int) -> (low: OwnerCode, high: OwnerCode)? {
        guard let id = ownerSet(at: index), let table = ownerSetTable,
              let low = table.firstMember(id), let high = table.lastMember(id) else { return nil }
        return (OwnerCode(raw: UInt16(truncatingIfNeeded: low + 1)), OwnerCode(raw: UInt16(truncatingIfNeeded: high + 1)))
    }

    /// Byte offset of cluster `index`.
    public func offset(of index: Int) -> UInt64 { UInt64(index) << UInt64(clusterBits) }
}

/// Identifies an owner in ``ClusterMap/owners(at:)``: snapshot `i` (table order) is `i + 1`, and
/// the current disk `snapshotCount + 1`, so it sorts after every snapshot.
public struct OwnerCode: Sendable, Hashable, Comparable {
    public let raw: UInt16
    public init(raw: UInt16) { self.raw = raw }
    /// The snapshot index, or nil for the current disk (given the snapshot count).
    public func snapshotIndex(snapshotCount: Int) -> Int? {
        Int(raw) >= 1 && Int(raw) <= snapshotCount ? Int(raw) - 1 : nil
    }
    public static func < (a: OwnerCode, b: OwnerCode) -> Bool { a.raw < b.raw }
}
