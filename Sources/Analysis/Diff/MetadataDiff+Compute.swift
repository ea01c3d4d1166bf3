import Qcow2

extension MetadataDiff {
    /// The metadata diff from state `a` to state `b`, in guest order over B's disk.
    ///
    /// Works one L1 entry's range at a time (of A's top layer; 1 GiB for raw layers). When both
    /// states are the same image file over the same backing layers — a snapshot against the active
    /// layer, or two snapshots — and both L1 entries name the same L2 table (or both none), the
    /// whole range is unchanged without reading a table: snapshots share L2 tables until one is
    /// written, so a diff between snapshots of a terabyte image reads only the tables that differ.
    /// Where the tables differ, only the runs of differing entries are walked (a snapshot's table
    /// copied on the first write keeps every other entry). Elsewhere both states' pieces (the guest map walker's, the one L2 classifier) are compared
    /// range by range. Never throws for entries QEMU refuses: they are changed ranges and findings.
    public static func compute(from a: DiffState, to b: DiffState) throws(FormatError) -> MetadataDiff {
        let sinkA = PieceSink(), sinkB = PieceSink()
        let walkerA = GuestMapWalker(layers: a.walkLayers, strict: false, tablesPerLayer: 4) { sinkA.pieces.append(($0, $1)) }
        let walkerB = GuestMapWalker(layers: b.walkLayers, strict: false, tablesPerLayer: 4) { sinkB.pieces.append(($0, $1)) }
        let shared = SharedTables(a, b)
        // Over the longer of the two: past a state's end it reads zeros (a snapshot taken before a
        // resize is exported by qemu-img convert -l at the current size, zeros past its own).
        let sizeA = a.virtualSize, sizeB = b.virtualSize
        let size = max(sizeA, sizeB)
        var list = DiffExtentList()
        var skipped = 0
        var g: UInt64 = 0
        while g < size {
            let chunkEnd = min(size, shared.chunkEnd(after: g))
            if shared.sameTable(at: g, end: chunkEnd, within: min(sizeA, sizeB)) {
                skipped += 1
                g = chunkEnd
                continue
            }
            func compareRange(_ lo: UInt64, _ hi: UInt64) throws(FormatError) {
                let endA = min(hi, sizeA)
                var piecesA = lo < endA ? try a.pieces(walkerA, sink: sinkA, from: lo, to: endA) : []
                if endA < hi { piecesA.append(DiffPiece(start: max(lo, endA), end: hi, key: .zeros(nil), change: .unallocated)) }
                let endB = min(hi, sizeB)
                var piecesB = lo < endB ? try b.pieces(walkerB, sink: sinkB, from: lo, to: endB) : []
                if endB < hi { piecesB.append(DiffPiece(start: max(lo, endB), end: hi, key: .zeros(nil), change: .unallocated)) }
                compare(piecesA, piecesB, into: &list)
            }
            // Two tables of the same image: only the entries that differ can read differently.
            if let runs = try shared.differingEntries(at: g, end: chunkEnd, within: min(sizeA, sizeB), walkerA, walkerB) {
                for run in runs { try compareRange(run.lowerBound, run.upperBound) }
            } else {
                try compareRange(g, chunkEnd)
            }
            g = chunkEnd
        }
        var findings = a.map.findings + b.map.findings
        findings += walkerA.findings.map { Finding($0.severity, $0.structure, at: $0.offset, "\(a.label): \($0.message)") }
        findings += walkerB.findings.map { Finding($0.severity, $0.structure, at: $0.offset, "\(b.label): \($0.message)") }
        return MetadataDiff(from: a.label, to: b.label, virtualSize: size, fromSize: sizeA, toSize: sizeB, extents: list.extents,
                            findings: findings, sharedTables: skipped)
    }

    /// Two contiguous piece lists over the same range, walked together: where keys differ the
    /// range is changed, with B's kind.
    static func compare(_ a: [DiffPiece], _ b: [DiffPiece], into list: inout DiffExtentList) {
        var i = 0, j = 0
        while i < a.count && j < b.count {
            let pa = a[i], pb = b[j]
            let start = max(pa.start, pb.start)
            let end = min(pa.end, pb.end)
            if start < end && pa.key(at: start) != pb.key(at: start) {
                list.append(start, end - start, pb.change)
            }
            if pa.end <= pb.end { i += 1 }
            if pb.end <= pa.end { j += 1 }
        }
    }
}

/// How the diff steps through the disk: one L1 entry's range at a time while either state's top
/// L1 table covers it, the rest in one step (a hostile virtual size past a small L1 table must not
/// mean billions of steps); and which ranges two states share table for table — both the same
/// qcow2 file at the top with the same layers below it (by file identity).
struct SharedTables {
    let shiftA: UInt64
    let shiftB: UInt64
    let l1A: [UInt64]
    let l1B: [UInt64]
    let applies: Bool
    /// B is an overlay directly on A (B's layers below its top are A's), or A on B: where the
    /// overlay's L1 entry is empty it reads exactly the other state.
    let overlay: Overlay
    enum Overlay { case none, bOnA, aOnB }

    init(_ a: DiffState, _ b: DiffState) {
        (shiftA, l1A) = Self.table(a)
        (shiftB, l1B) = Self.table(b)
        let topA = a.map.layers.first, topB = b.map.layers.first
        if let topA, let topB, topA.image != nil, topB.image != nil {
            applies = a.identities == b.identities && shiftA == shiftB && topA.clusterSize == topB.clusterSize
                && topA.image?.header.hasExtendedL2 == topB.image?.header.hasExtendedL2
                && a.map.layers.count == b.map.layers.count
                && zip(a.map.layers.dropFirst(), b.map.layers.dropFirst()).allSatisfy { $0.length == $1.length }
        } else {
            applies = false
        }
        if b.identities.count == a.identities.count + 1, Array(b.identities.dropFirst()) == a.identities, topB?.image != nil {
            overlay = .bOnA
        } else if a.identities.count == b.identities.count + 1, Array(a.identities.dropFirst()) == b.identities, topA?.image != nil {
            overlay = .aOnB
        } else {
            overlay = .none
        }
    }

    private static func table(_ state: DiffState) -> (UInt64, [UInt64]) {
        guard let top = state.map.layers.first, case .qcow2(let image, let l1) = top.format else { return (30, []) }
        return (GuestMapWalker.l1Shift(image.header), l1)
    }

    /// The end of the step starting at guest `g` (saturating).
    func chunkEnd(after g: UInt64) -> UInt64 {
        func next(_ shift: UInt64, _ count: Int) -> UInt64? {
            let index = g >> shift
            guard index < UInt64(count) else { return nil }
            return index + 1 >= (UInt64(1) << (64 - shift)) ? .max : (index + 1) << shift
        }
        switch (next(shiftA, l1A.count), next(shiftB, l1B.count)) {
        case let (x?, y?): return min(x, y)
        case let (x?, nil): return x
        case let (nil, y?): return y
        case (nil, nil): return .max
        }
    }

    /// Whether `[g, end)` maps through the same L2 table (or none) in both states, so nothing changed.
    func sameTable(at g: UInt64, end: UInt64, within size: UInt64) -> Bool {
        guard end <= size, end != .max else { return false }
        if overlay != .none {
            let (shift, l1) = overlay == .bOnA ? (shiftB, l1B) : (shiftA, l1A)
            let index = g >> shift
            guard (end - 1) >> shift == index else { return false }
            return index >= UInt64(l1.count) || l1[Int(index)] & Qcow2.l1OffsetMask == 0
        }
        guard applies else { return false }
        let index = g >> shiftA
        guard (end - 1) >> shiftA == index else { return false }
        let a = index < UInt64(l1A.count) ? l1A[Int(index)] & Qcow2.l1OffsetMask : 0
        let b = index < UInt64(l1B.count) ? l1B[Int(index)] & Qcow2.l1OffsetMask : 0
        return a == b
    }
}
