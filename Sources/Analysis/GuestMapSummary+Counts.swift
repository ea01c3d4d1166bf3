/// What a whole guest cluster holds, for counting: the ``GuestState`` of the top image, folded
/// with the depth for clusters a backing layer answers.
public enum GuestClusterKind: Sendable, Hashable {
    /// Data in the image itself (normal clusters; a raw top image's data).
    case data
    case compressed
    /// Zero clusters (plain or preallocated) and holes of a raw top image.
    case zero
    /// Reads as zeros with nothing allocated in any layer.
    case unallocated
    /// Answered by the backing layer at this depth (≥ 1).
    case backing(depth: Int)
    /// The cluster holds more than one kind (partially allocated subclusters, a backing file's
    /// end, a host hole boundary).
    case mixed
    /// QEMU would refuse to map it.
    case invalid

    public init(_ state: GuestState, depth: Int) {
        switch state {
        case .unallocated: self = .unallocated
        case .invalid: self = .invalid
        case _ where depth > 0: self = .backing(depth: depth)
        case .data, .rawData: self = .data
        case .compressed: self = .compressed
        case .zeroPlain, .zeroAllocated, .rawHole: self = .zero
        }
    }
}

/// Guest cluster counts by kind, for one bucket of the guest-map view.
public struct GuestClusterCounts: Sendable, Hashable {
    public var data: UInt64 = 0
    public var compressed: UInt64 = 0
    public var zero: UInt64 = 0
    public var unallocated: UInt64 = 0
    /// `backing[d - 1]`: clusters answered entirely by the backing layer at depth `d`.
    public var backing: [UInt64] = []
    public var mixed: UInt64 = 0
    public var invalid: UInt64 = 0

    public init() {}

    /// Clusters counted.
    public var total: UInt64 { data + compressed + zero + unallocated + backing.reduce(0, +) + mixed + invalid }
    /// Clusters answered by any backing layer.
    public var backingTotal: UInt64 { backing.reduce(0, +) }

    /// The kind with the most clusters (ties: the order of the cases), for a one-colour cell.
    public var dominant: GuestClusterKind? {
        var best: (GuestClusterKind, UInt64)?
        func consider(_ kind: GuestClusterKind, _ n: UInt64) {
            if n > 0, n > (best?.1 ?? 0) { best = (kind, n) }
        }
        consider(.data, data)
        consider(.compressed, compressed)
        consider(.zero, zero)
        consider(.unallocated, unallocated)
        for (i, n) in backing.enumerated() { consider(.backing(depth: i + 1), n) }
        consider(.mixed, mixed)
        consider(.invalid, invalid)
        return best?.0
    }

    mutating func add(_ kind: GuestClusterKind, _ n: UInt64) {
        switch kind {
        case .data: data += n
        case .compressed: compressed += n
        case .zero: zero += n
        case .unallocated: unallocated += n
        case .backing(let depth):
            let index = max(depth, 1) - 1
            if backing.count <= index { backing += Array(repeating: 0, count: index + 1 - backing.count) }
            backing[index] += n
        case .mixed: mixed += n
        case .invalid: invalid += n
        }
    }
}
