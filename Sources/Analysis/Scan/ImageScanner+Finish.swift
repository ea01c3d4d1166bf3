import Qcow2

extension ImageScanner {
    /// Joins fragmentation edges, works out snapshot ownership, and packs the result.
    mutating func finish() -> ImageAnalysis {
        frag.stitch(order: directory.activeOrder, clusterSize: clusterSize)
        var stats = FragmentationStats()
        stats.allocatedClusters = frag.guestAllocated
        stats.compressedClusters = frag.guestCompressed
        let used = frag.histogram.lastIndex { $0 > 0 }.map { $0 + 1 } ?? 0
        stats.histogram = Array(frag.histogram.prefix(used))
        stats.adjacentPairs = frag.pairs
        stats.contiguousPairs = frag.contiguousPairs
        stats.seeks = frag.jumps
        stats.meanSeekBytes = frag.jumps == 0 ? 0 : frag.jumpBytes / Double(frag.jumps)

        map.setCount(tracked)
        storedHistogram.setZeros(covering: histogramClusters)
        computedHistogram.setZeros(covering: histogramClusters)
        let (usages, current) = ownership()
        return ImageAnalysis(image: image, clusters: map, check: counts, findings: findings, fragmentation: stats,
                             snapshots: usages, current: current, storedInUseClusters: storedInUse,
                             couldNotCheck: fatal, storedRefcounts: storedHistogram, computedRefcounts: computedHistogram)
    }

    /// How many of the `n` role bytes at `roles` are the current disk's when there are no
    /// snapshots: its L1 and L2 tables and the data they reference.
    @inline(__always)
    private static func currentDiskClusters(_ roles: UnsafeMutablePointer<UInt8>, _ n: Int) -> UInt64 {
        var mine: UInt64 = 0
        for k in 0..<n {
            switch roles[k] & ClusterMap.roleMask {
            case ClusterRole.l1.rawValue, ClusterRole.l2.rawValue, ClusterRole.data.rawValue,
                 ClusterRole.dataShared.rawValue, ClusterRole.compressed.rawValue: mine &+= 1
            default: break
            }
        }
        return mine
    }

    /// Referenced, exclusive and parent for every snapshot and the current state, from the
    /// owner set of every cluster: a cluster counts for each owner in its set, is exclusive to an
    /// owner when the set holds only it, and is shared by every pair in its set.
    private mutating func ownership() -> ([SnapshotUsage], SnapshotUsage) {
        let n = snapshots.count
        let cs = clusterSize
        var referenced = [UInt64](repeating: 0, count: n + 1)
        var exclusive = [UInt64](repeating: 0, count: n + 1)
        let inferParents = map.tracksOwners && n <= 128
        var shares = inferParents ? [UInt64](repeating: 0, count: (n + 1) * (n + 1)) : []
        var known = n == 0
        if n == 0 {
            // Everything referenced belongs to the current disk.
            var mine: UInt64 = 0
            let roles = map.codes
            // Eight clusters at a time where all eight are data or all free (one test each, no
            // branch per cluster); only the role bits are looked at, and any
            // other group is counted cluster by cluster.
            let ones: UInt64 = 0x0101_0101_0101_0101
            let allData = UInt64(ClusterRole.data.rawValue) &* ones
            let roleBits = UInt64(ClusterMap.roleMask) &* ones
            var c = 0
            while c &+ 8 <= tracked {
                let word = UnsafeRawPointer(roles + c).loadUnaligned(as: UInt64.self) & roleBits
                if word == allData { mine &+= 8 } else if word != 0 { mine &+= Self.currentDiskClusters(roles + c, 8) }
                c &+= 8
            }
            mine &+= Self.currentDiskClusters(roles + c, tracked &- c)
            referenced[0] = mine
            exclusive[0] = mine
        } else if let ids = map.ownerIDs, sets.isComplete {
            known = true
            var perSet = [UInt64](repeating: 0, count: sets.count)
            for c in 0..<tracked where ids[c] != 0 { perSet[Int(ids[c])] += 1 }
            for (id, count) in perSet.enumerated() where count > 0 {
                let members = sets.members(UInt32(id))
                for m in members where m <= n { referenced[m] += count }
                if members.count == 1, let m = members.first, m <= n { exclusive[m] += count }
                guard inferParents else { continue }
                for a in members.indices where members[a] <= n {
                    for b in (a + 1)..<members.count where members[b] <= n { shares[members[a] * (n + 1) + members[b]] += count }
                }
            }
        }
        sets.seal()
        if map.tracksOwners { map.setOwnerSetTable(sets) }
        func parent(of owner: Int) -> (Int?, UInt64) {
            guard inferParents, owner > 0 else { return (nil, 0) }
            var best: (Int?, UInt64) = (nil, 0)
            for i in 0..<owner where shares[i * (n + 1) + owner] > 0 && shares[i * (n + 1) + owner] >= best.1 {
                best = (i, shares[i * (n + 1) + owner])
            }
            return best
        }
        func usage(_ owner: Int, snapshot: Snapshot?, index: Int?) -> SnapshotUsage {
            let (p, shared) = parent(of: owner)
            return SnapshotUsage(snapshot: snapshot, index: index, referencedBytes: referenced[owner] &* cs,
                                 exclusiveBytes: known ? exclusive[owner] &* cs : nil, parent: p,
                                 sharedWithParentBytes: shared &* cs, diskSize: snapshot?.diskSize ?? header.size)
        }
        // The decoded entries (all extra data) for the report, when the strict reader agrees.
        let decoded = image.readSnapshots().snapshots
        let list = snapshots.indices.map { i in
            usage(i, snapshot: decoded.count == snapshots.count ? decoded[i] : nil, index: i)
        }
        return (list, usage(n, snapshot: nil, index: nil))
    }
}
