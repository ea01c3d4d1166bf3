import Qcow2

/// What one piece of a state's map reads, reduced to what decides "unchanged": two pieces read
/// the same bytes when they map to the same host bytes of the same file, the same compressed
/// descriptor of the same file, or both read zeros in the same layer (or in none).
enum DiffKey: Equatable {
    /// Zeros answered by the layer (zero clusters, raw holes); nil identity: nothing holds it.
    case zeros(LayerIdentity?)
    /// Host bytes at `offset` (of the piece's start) in the file.
    case host(LayerIdentity, UInt64)
    /// One compressed cluster, by its L2 descriptor.
    case compressed(LayerIdentity, UInt64)
    /// Never equal to anything (entries QEMU refuses).
    case never
}

/// A piece of a state's map with its key and the change kind it would be in state B.
struct DiffPiece {
    var start: UInt64
    var end: UInt64
    var key: DiffKey
    var change: DiffChange

    /// The key of the sub-range starting at `at` (host offsets advance with the guest offset).
    func key(at: UInt64) -> DiffKey {
        if case .host(let id, let offset) = key { return .host(id, offset &+ (at - start)) }
        return key
    }
}

extension DiffState {
    /// Walks guest `[start, end)` of this state with `walker` and returns its keyed pieces;
    /// compressed runs are split per cluster so each carries its own descriptor.
    func pieces(_ walker: GuestMapWalker, sink: PieceSink, from start: UInt64, to end: UInt64) throws(FormatError) -> [DiffPiece] {
        sink.pieces.removeAll(keepingCapacity: true)
        try walker.walk(layer: 0, from: start, to: end)
        var out: [DiffPiece] = []
        out.reserveCapacity(sink.pieces.count)
        for (entry, state) in sink.pieces where entry.length > 0 {
            let id = identities[entry.depth]
            let change = Self.change(state, depth: entry.depth)
            switch state {
            case .data, .rawData:
                let key: DiffKey = entry.offset.map { .host(id, $0) } ?? .never
                out.append(DiffPiece(start: entry.start, end: entry.end, key: key, change: change))
            case .zeroPlain, .zeroAllocated, .rawHole:
                out.append(DiffPiece(start: entry.start, end: entry.end, key: .zeros(id), change: change))
            case .unallocated:
                out.append(DiffPiece(start: entry.start, end: entry.end, key: .zeros(nil), change: change))
            case .invalid:
                out.append(DiffPiece(start: entry.start, end: entry.end, key: .never, change: change))
            case .compressed:
                let clusterSize = map.layers[entry.depth].clusterSize
                var g = entry.start
                while g < entry.end {
                    let next = min(entry.end, (g & ~(clusterSize - 1)) &+ clusterSize)
                    let descriptor = try walker.l2Entry(layer: entry.depth, at: g)
                    let key: DiffKey = descriptor.map { .compressed(id, $0.entry.raw) } ?? .never
                    out.append(DiffPiece(start: g, end: next, key: key, change: change))
                    g = next
                }
            }
        }
        return out
    }

    /// The change kinds, seen from state B: zeros through the layers below are
    /// `unallocated`, zeros of B's own layer `zero`, anything else (data, here or below) `data`.
    static func change(_ state: GuestState, depth: Int) -> DiffChange {
        switch state {
        case .unallocated: .unallocated
        case .zeroPlain, .zeroAllocated, .rawHole: depth == 0 ? .zero : .unallocated
        case .data, .compressed, .rawData, .invalid: .data
        }
    }
}
