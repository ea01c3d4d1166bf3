/// Every distinct L2 table the L1 tables (active and snapshots) point at, with who points.
///
/// QEMU's check walks each L1 table and re-reads each L2 table once per L1 entry naming it. The
/// scan instead collects the L1 tables first, then reads every distinct L2 table once and applies
/// its references as many times as QEMU would: ``L2Ref/totalRefs`` for refcounts,
/// ``L2Ref/activeRefs`` for the fragmentation counters and the COPIED check.
struct L2Ref {
    /// The L2 table offset as stored in the L1 entry (bits 9-55; may be misaligned).
    var offset: UInt64
    var totalRefs: UInt32 = 0
    var activeRefs: UInt32 = 0
    /// The owners naming it, as an ``OwnerSets`` id (0 when ownership is not tracked).
    var ownerSet: UInt32 = 0
    /// The owner that named it last, to notice one L1 table naming it twice.
    var lastOwner = UInt32.max
    /// Host clusters its entries reference (filled in by the L2 pass).
    var hostClusters: UInt32 = 0

    /// The role of the table's own cluster: an active L2 when the active L1 names it.
    var tableRole: ClusterRole { activeRefs > 0 ? .l2 : .snapshotL2 }
    /// The role of the data clusters it references.
    var dataRole: ClusterRole {
        activeRefs == 0 ? .snapshotData : (totalRefs > activeRefs ? .dataShared : .data)
    }
}

struct L2Directory {
    var refs: [L2Ref] = []
    /// L2 offset → index in ``refs``. Only touched once per L1 entry, never per L2 entry.
    var index: [UInt64: Int32] = [:]
    /// For each active L1 index, the index in ``refs`` or -1: the guest order of the L2 tables.
    var activeOrder: [Int32] = []

    /// Records that an L1 entry of `owner` names the L2 table at `l2Offset`. Returns the
    /// table's index and whether this L1 table already named it.
    mutating func add(l2Offset: UInt64, owner: UInt32, active: Bool) -> (Int32, duplicate: Bool) {
        let i: Int32
        if let known = index[l2Offset] {
            i = known
        } else {
            i = Int32(refs.count)
            refs.append(L2Ref(offset: l2Offset))
            index[l2Offset] = i
        }
        let duplicate = refs[Int(i)].lastOwner == owner
        refs[Int(i)].totalRefs &+= 1
        if active { refs[Int(i)].activeRefs &+= 1 }
        refs[Int(i)].lastOwner = owner
        return (i, duplicate)
    }

    /// Drops the lookup table and trims ``refs`` once every L1 table has been read, so the L2
    /// pass runs with only what it needs.
    mutating func seal() {
        index = [:]
        refs = refs.withUnsafeBufferPointer { Array($0) }
    }

    /// The indices of ``refs`` sorted by offset, so the L2 pass reads the file front to back.
    func readOrder() -> [Int32] {
        refs.indices.sorted { refs[$0].offset < refs[$1].offset }.map { Int32($0) }
    }
}
