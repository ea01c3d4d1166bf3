/// The distinct sets of owners clusters have, interned: owner `i < snapshotCount` is snapshot
/// `i` (table order) and owner `snapshotCount` is the current disk.
///
/// Every cluster of an image with snapshots carries one 32-bit id into this table (0: nobody
/// references it). A reference from an L2 table unites the table's set with the cluster's; the
/// unions are cached, so a data cluster costs one array load when its set does not change. There
/// are few distinct sets in practice (one per generation of copy-on-write), so the per-cluster
/// cost stays 4 bytes whatever the number of snapshots.
public struct OwnerSets: Sendable {
    /// Owners per set: the snapshots plus the current disk.
    public let ownerCount: Int
    private let words: Int
    /// Set `id` occupies `storage[id * words ..< (id + 1) * words]`; id 0 is the empty set.
    private var storage: [UInt64]
    private var index: [[UInt64]: UInt32] = [:]
    private var unions: [UInt64: UInt32] = [:]
    /// The last union asked for (`lastPair`: the two ids as in ``unions``' keys): the L2 pass asks
    /// for the same one cluster after cluster, so most unions cost a compare, not a hash.
    private var lastPair: UInt64 = 0
    private var lastUnion: UInt32 = 0
    /// The singleton set of each owner, once interned (0: not yet).
    private var singletons: [UInt32]
    /// Most 64-bit words of sets kept (64 MiB); past it ``isComplete`` turns false and new sets
    /// are not recorded.
    static let maxWords = 8 << 20
    public private(set) var isComplete = true

    init(ownerCount: Int) {
        self.ownerCount = ownerCount
        words = max(1, (ownerCount + 63) / 64)
        storage = Array(repeating: 0, count: words)
        singletons = Array(repeating: 0, count: ownerCount)
        index[Array(repeating: 0, count: words)] = 0
    }

    /// Number of distinct sets (the empty set included).
    public var count: Int { storage.count / words }

    /// Whether `owner` is in set `id`.
    public func contains(_ id: UInt32, _ owner: Int) -> Bool {
        guard owner >= 0, owner < ownerCount, Int(id) < count else { return false }
        return storage[Int(id) * words + owner / 64] & (1 << UInt64(owner % 64)) != 0
    }

    /// The owners in set `id`, ascending.
    public func members(_ id: UInt32) -> [Int] {
        guard Int(id) < count else { return [] }
        var out: [Int] = []
        for w in 0..<words {
            var bits = storage[Int(id) * words + w]
            while bits != 0 {
                out.append(w * 64 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return out
    }

    /// The lowest and highest owner in set `id` (nil for the empty set).
    public func firstMember(_ id: UInt32) -> Int? {
        guard id != 0, Int(id) < count else { return nil }
        for w in 0..<words where storage[Int(id) * words + w] != 0 {
            return w * 64 + storage[Int(id) * words + w].trailingZeroBitCount
        }
        return nil
    }
    public func lastMember(_ id: UInt32) -> Int? {
        guard id != 0, Int(id) < count else { return nil }
        for w in stride(from: words - 1, through: 0, by: -1) where storage[Int(id) * words + w] != 0 {
            return w * 64 + 63 - storage[Int(id) * words + w].leadingZeroBitCount
        }
        return nil
    }

    /// Whether set `id` has exactly one owner.
    func isSingleton(_ id: UInt32) -> Bool {
        guard Int(id) < count else { return false }
        var n = 0
        for w in 0..<words { n &+= storage[Int(id) * words + w].nonzeroBitCount }
        return n == 1
    }

    /// The set holding only `owner` (interned once per owner).
    mutating func singleton(_ owner: Int) -> UInt32 {
        if owner < singletons.count, singletons[owner] != 0 { return singletons[owner] }
        var key = [UInt64](repeating: 0, count: words)
        key[owner / 64] |= 1 << UInt64(owner % 64)
        let id = intern(key)
        if owner < singletons.count { singletons[owner] = id }
        return id
    }

    /// The union of sets `a` and `b` (cached).
    @inline(__always)
    mutating func union(_ a: UInt32, _ b: UInt32) -> UInt32 {
        if a == b || b == 0 { return a }
        if a == 0 { return b }
        let key = UInt64(min(a, b)) << 32 | UInt64(max(a, b))
        if key == lastPair { return lastUnion }
        if let known = unions[key] {
            (lastPair, lastUnion) = (key, known)
            return known
        }
        var merged = [UInt64](repeating: 0, count: words)
        for w in 0..<words { merged[w] = storage[Int(a) * words + w] | storage[Int(b) * words + w] }
        let id = intern(merged)
        unions[key] = id
        (lastPair, lastUnion) = (key, id)
        return id
    }

    private mutating func intern(_ key: [UInt64]) -> UInt32 {
        if let known = index[key] { return known }
        guard storage.count + words <= Self.maxWords, count < Int(UInt32.max) else {
            isComplete = false
            return 0
        }
        let id = UInt32(count)
        storage += key
        index[key] = id
        return id
    }

    /// Drops the lookup tables once the scan is over; ``contains(_:_:)`` and ``members(_:)`` keep working.
    mutating func seal() {
        index = [:]
        unions = [:]
        lastPair = 0
    }
}
