/// Every distinct L2 table the L1 tables (active and snapshots) point at, with who points.
///
/// QEMU's check walks each L1 table and re-reads each L2 table once per L1 entry naming it. The
/// scan instead collects the L1 entries first, then reads every distinct L2 table once and
/// applies its references as many times as QEMU would: ``L2Ref/totalRefs`` for refcounts,
/// ``L2Ref/activeRefs`` for the fragmentation counters and the COPIED check.
struct L2Ref {
    /// The L2 table offset as stored in the L1 entry (bits 9-55; may be misaligned).
    var offset: UInt64
    var totalRefs: UInt32 = 0
    var activeRefs: UInt32 = 0
    /// The owners naming it, as an ``OwnerSets`` id (0 when ownership is not tracked).
    var ownerSet: UInt32 = 0
    /// Index among the tables the active L1 names (for fragmentation), -1 for the others.
    var activeSlot: Int32 = -1

    /// The role of the table's own cluster: an active L2 when the active L1 names it.
    var tableRole: ClusterRole { activeRefs > 0 ? .l2 : .snapshotL2 }
    /// The role of the data clusters it references.
    var dataRole: ClusterRole {
        activeRefs == 0 ? .snapshotData : (totalRefs > activeRefs ? .dataShared : .data)
    }
}

/// One non-zero L1 entry: the table it names, whose L1 it is in, and where.
struct L1Record {
    var l2Offset: UInt64
    var owner: UInt32
    var index: UInt32
}

struct L2Directory {
    var refs: [L2Ref] = []
    /// For each active L1 index, the ``L2Ref/activeSlot`` of its table or -1: the guest order of
    /// the active L2 tables.
    var activeOrder: [Int32] = []
    /// Tables the active L1 names.
    var activeTables = 0

    /// Groups the L1 entries (sorted here) into distinct tables. `sets` gives each table the union
    /// of its owners; `duplicate` is told about an L1 table naming one L2 table twice.
    mutating func build(from records: inout [L1Record], activeOwner: UInt32, ownerSet: (UInt32, UInt32) -> UInt32,
                        duplicate: (L1Record) -> Void) {
        Self.sort(&records)
        var distinct = 0
        for i in records.indices where i == 0 || records[i].l2Offset != records[i - 1].l2Offset { distinct += 1 }
        refs = []
        refs.reserveCapacity(distinct)
        for (i, r) in records.enumerated() {
            if i == 0 || r.l2Offset != records[i - 1].l2Offset {
                refs.append(L2Ref(offset: r.l2Offset))
            } else if r.owner == records[i - 1].owner {
                duplicate(r)
            }
            let k = refs.count - 1
            refs[k].totalRefs &+= 1
            if r.owner == activeOwner {
                refs[k].activeRefs &+= 1
                if refs[k].activeSlot < 0 {
                    refs[k].activeSlot = Int32(activeTables)
                    activeTables += 1
                }
                if Int(r.index) < activeOrder.count { activeOrder[Int(r.index)] = refs[k].activeSlot }
            }
            refs[k].ownerSet = ownerSet(refs[k].ownerSet, r.owner)
        }
    }

    /// Sorts `records` by table offset, then owner, then index. The scan collects them table by
    /// table, each in index order, the active table (the highest owner) first: read from the
    /// end of that leading run on (and the run last), they are in (owner, index) order, and a
    /// stable radix sort by offset alone (11 bits a pass, from the lowest bit any offset sets,
    /// as many passes as the largest offset needs) finishes the job without a comparison. The
    /// first pass reads them in that rotated order (no copy of the list; table offsets are
    /// cluster aligned, so a 4 KiB-cluster image's takes two passes, not three).
    /// Records in any other order take the comparison sort.
    static func sort(_ records: inout [L1Record]) {
        let n = records.count
        guard n > 1 else { return }
        // The leading run of the first owner (the active table) goes to the end.
        var lead = 1
        while lead < n, records[lead].owner == records[0].owner { lead += 1 }
        if lead == n || records[0].owner <= records[n - 1].owner { lead = 0 }
        var ordered = true
        var highest: UInt64 = 0
        var any: UInt64 = 0
        var previous = records[lead]
        for i in 0..<n {
            let r = records[i &+ lead < n ? i &+ lead : i &+ lead &- n]
            highest = max(highest, r.l2Offset)
            any |= r.l2Offset
            if i > 0, (previous.owner, previous.index) >= (r.owner, r.index) { ordered = false }
            previous = r
        }
        guard ordered else {
            records.sort { $0.l2Offset != $1.l2Offset ? $0.l2Offset < $1.l2Offset : ($0.owner, $0.index) < ($1.owner, $1.index) }
            return
        }
        let bits = 64 - highest.leadingZeroBitCount
        let digitBits = 11
        var scratch = [L1Record](repeating: L1Record(l2Offset: 0, owner: 0, index: 0), count: n)
        var counts = [Int](repeating: 0, count: 1 << digitBits)
        // All offsets 0 (or one offset shared by all): already in order once rotated.
        var shift = any == 0 ? bits : any.trailingZeroBitCount
        if shift >= bits {
            if lead > 0 { records = Array(records[lead...]) + records[..<lead] }
            return
        }
        records.withUnsafeMutableBufferPointer { a in
            scratch.withUnsafeMutableBufferPointer { b in
                var from = a, to = b
                var rotation = lead
                while shift < bits {
                    for k in counts.indices { counts[k] = 0 }
                    for r in from { counts[Int(truncatingIfNeeded: (r.l2Offset >> UInt64(shift)) & 0x7FF)] &+= 1 }
                    var total = 0
                    for k in counts.indices { let c = counts[k]; counts[k] = total; total &+= c }
                    for i in 0..<n {
                        let r = from[i &+ rotation < n ? i &+ rotation : i &+ rotation &- n]
                        let d = Int(truncatingIfNeeded: (r.l2Offset >> UInt64(shift)) & 0x7FF)
                        to[counts[d]] = r
                        counts[d] &+= 1
                    }
                    rotation = 0
                    swap(&from, &to)
                    shift += digitBits
                }
                // An odd number of passes leaves the result in the scratch buffer.
                if from.baseAddress != a.baseAddress { _ = a.update(fromContentsOf: from) }
            }
        }
    }

    /// The indices of ``refs`` in file order (they are built sorted by offset).
    func readOrder() -> Range<Int> { refs.indices }
}
