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
        records.sort { $0.l2Offset != $1.l2Offset ? $0.l2Offset < $1.l2Offset : ($0.owner, $0.index) < ($1.owner, $1.index) }
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

    /// The indices of ``refs`` in file order (they are built sorted by offset).
    func readOrder() -> Range<Int> { refs.indices }
}
