import Qcow2

/// `diff --layers`: for each layer of the backing chain and each internal snapshot, the guest
/// bytes it alone provides and the bytes it shadows in the layers below, and what
/// `qemu-img commit` of the top layer would write into its backing file.
///
/// - A chain layer's own bytes are the bytes of the current guest view (the active map) that it
///   answers (data, compressed or zero (sub)clusters, a raw file's bytes); its shadowed bytes are
///   the bytes it holds where the layers below it would also provide something.
/// - An internal snapshot (depth 0, the top file) owns the bytes it holds that the active layer
///   does not share (what only the snapshot keeps: the metadata diff from it to `active`, within
///   its own allocation); it shadows, like a layer, what it holds over the backing chain.
/// - `commit-bytes`: everything the top layer holds (QEMU's commit copies every range allocated
///   in the top, zero clusters included); 0 without a backing file.
public struct LayerAccounting: Sendable {
    public struct Row: Sendable, Hashable {
        public enum Kind: String, Sendable { case layer, snapshot }
        public var name: String
        public var depth: Int
        public var kind: Kind
        public var ownBytes: UInt64
        public var shadowedBytes: UInt64
    }

    public let rows: [Row]
    public let commitBytes: UInt64
    public let findings: [Finding]

    public static func compute(chain: BackingChain, snapshots: [Snapshot]) throws(FormatError) -> LayerAccounting {
        let full = try GuestMap(chain: chain)
        var findings = full.findings
        var own = [UInt64](repeating: 0, count: full.layers.count)
        findings += try full.forEachPiece(strict: false) { entry, state in
            if state != .unallocated && entry.depth < own.count { own[entry.depth] &+= entry.length }
        }
        var rows: [Row] = []
        for (d, layer) in full.layers.enumerated() {
            let held = try Self.held(layer, findings: &findings)
            let shadowed = try Self.shadowed(held, below: Array(full.layers.dropFirst(d + 1)), findings: &findings)
            let name = d < chain.layers.count ? chain.layers[d].displayName : "layer \(d)"
            rows.append(Row(name: name, depth: d, kind: .layer, ownBytes: own[d], shadowedBytes: shadowed))
        }
        let commit = full.layers.count > 1 ? (try Self.held(full.layers[0], findings: &findings)).reduce(0) { $0 &+ UInt64($1.count) } : 0
        if snapshots.isEmpty { return LayerAccounting(rows: rows, commitBytes: commit, findings: findings) }
        let active = try DiffState.active(chain)
        for snapshot in snapshots {
            do throws(FormatError) {
                let state = try DiffState.snapshot(snapshot, of: chain, label: snapshot.name.string)
                guard let top = state.map.layers.first else { continue }
                let held = try Self.held(top, findings: &findings)
                let diff = try MetadataDiff.compute(from: state, to: active)
                let changed = diff.extents.map { $0.start..<$0.end }
                let ownBytes = intersectionBytes(held, changed)
                let shadowed = try Self.shadowed(held, below: Array(state.map.layers.dropFirst()), findings: &findings)
                rows.append(Row(name: snapshot.name.string, depth: 0, kind: .snapshot, ownBytes: ownBytes, shadowedBytes: shadowed))
            } catch {
                findings.append(Finding(error))
            }
        }
        return LayerAccounting(rows: rows, commitBytes: commit, findings: findings)
    }

    /// The guest ranges `layer` itself holds (anything but unallocated), in order.
    static func held(_ layer: GuestMapLayer, findings: inout [Finding]) throws(FormatError) -> [Range<UInt64>] {
        try ranges(GuestMap(layers: [layer]), findings: &findings)
    }

    /// Bytes of `held` that the stack `below` provides something for.
    static func shadowed(_ held: [Range<UInt64>], below: [GuestMapLayer], findings: inout [Finding]) throws(FormatError) -> UInt64 {
        guard !below.isEmpty else { return 0 }
        return intersectionBytes(held, try ranges(GuestMap(layers: below), findings: &findings))
    }

    /// Merged ranges a map provides (present: some layer holds them).
    static func ranges(_ map: GuestMap, findings: inout [Finding]) throws(FormatError) -> [Range<UInt64>] {
        var out: [Range<UInt64>] = []
        findings += try map.forEachPiece(strict: false) { entry, state in
            guard state != .unallocated, entry.length > 0 else { return }
            if let last = out.last, last.upperBound == entry.start {
                out[out.count - 1] = last.lowerBound..<entry.end
            } else {
                out.append(entry.start..<entry.end)
            }
        }
        return out
    }
}

/// Bytes in both sorted lists of disjoint ranges.
func intersectionBytes(_ a: [Range<UInt64>], _ b: [Range<UInt64>]) -> UInt64 {
    var i = 0, j = 0
    var total: UInt64 = 0
    while i < a.count && j < b.count {
        let lo = max(a[i].lowerBound, b[j].lowerBound), hi = min(a[i].upperBound, b[j].upperBound)
        if lo < hi { total &+= hi - lo }
        if a[i].upperBound <= b[j].upperBound { i += 1 } else { j += 1 }
    }
    return total
}
