import Qcow2

/// The per host cluster results of a scan: role, computed refcount and snapshot ownership.
///
/// Memory stays well below what `qemu-img check` spends on its in-memory refcount table: one
/// byte per host cluster (``codes``, laid out in ClusterMap+Codes.swift) holds the role and, for
/// the usual cluster (a count of 0 or 1, no COPIED note or one with the flag set), everything
/// else. A cluster with more (shared by snapshots, counted twice, an active entry without COPIED)
/// is *escaped*: its byte keeps the role and the COPIED note, and its count lives in on-demand
/// 16 Ki-cluster pages of low bytes, plus, only where some count passes 255, pages of the higher
/// 32 bits. So an image without snapshots costs one byte a cluster (16 TiB with 64 KiB clusters:
/// 256 MiB, against QEMU's 512 MiB), and one whose clusters are shared by snapshots about what
/// QEMU's 16-bit table costs. Only when the image has snapshots is an owner set id added
/// (``OwnerSets``), usually one byte (``OwnerIDTable``). The arrays are sized by the file (never
/// by a value read from the image) and never grow; the object is immutable once the scan that
/// filled it returns.
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
    /// The largest count a first reference may store as one low byte (no high page, no
    /// saturation): 254, or ``counterMax`` when smaller (1 for 1-bit refcounts).
    let byteLimit: UInt64
    /// Whether ``ownerSet(at:)`` is tracked (the image has 1...4095 snapshots).
    public let tracksOwners: Bool

    /// One code byte per cluster (``ClusterMap+Codes``).
    let codes: UnsafeMutablePointer<UInt8>
    /// Per page of ``pageSize`` clusters, the low count bytes of its escaped clusters (nil until
    /// one of them escapes).
    let lowPages: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>
    /// Per page, the count bits above the low byte (nil until a count of the page passes 255).
    let highPages: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>
    let pageCount: Int
    let ownerIDs: OwnerIDTable?

    static let pageShift = 14
    static let pageSize = 1 << pageShift

    init(fileClusters: Int, clusterBits: UInt32, refcountOrder: UInt32, ownerTracking: Bool) {
        capacity = fileClusters + 1
        count = fileClusters
        self.clusterBits = clusterBits
        counterMax = min(RefcountBlock.maxRefcount(order: refcountOrder), (1 << 40) - 1)
        byteLimit = min(counterMax, 254)
        codes = ZeroedMemory.allocatePages(UInt8.self, count: capacity)
        pageCount = (capacity + Self.pageSize - 1) >> Self.pageShift
        lowPages = .allocate(capacity: pageCount)
        lowPages.initialize(repeating: nil, count: pageCount)
        highPages = .allocate(capacity: pageCount)
        highPages.initialize(repeating: nil, count: pageCount)
        tracksOwners = ownerTracking
        ownerIDs = ownerTracking ? OwnerIDTable(count: capacity) : nil
    }

    deinit {
        ZeroedMemory.release(codes, count: capacity)
        for p in 0..<pageCount {
            lowPages[p]?.deallocate()
            highPages[p]?.deallocate()
        }
        lowPages.deallocate()
        highPages.deallocate()
    }

    /// The role of host cluster `index` (``ClusterRole/free`` outside the map).
    public func role(at index: Int) -> ClusterRole {
        guard index >= 0, index < count else { return .free }
        return ClusterRole(rawValue: codes[index] & Self.roleMask) ?? .conflict
    }

    /// How many references the scan counted to host cluster `index` (QEMU's "reference=").
    @inline(__always)
    public func computedRefcount(at index: Int) -> UInt64 {
        guard index >= 0, index < capacity else { return 0 }
        return count(of: codes[index], at: index)
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
