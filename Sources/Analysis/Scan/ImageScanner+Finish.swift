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

    /// Referenced, exclusive and parent for every snapshot and the current state.
    private func ownership() -> ([SnapshotUsage], SnapshotUsage) {
        let n = snapshots.count
        let owners = n + 2                       // code 0 unused, 1...n snapshots, n + 1 active
        let cs = clusterSize
        var referenced = [UInt64](repeating: 0, count: owners)
        var exclusive = [UInt64](repeating: 0, count: owners)
        // L1 tables and, through the directory, L2 tables and the data they name.
        func l1Clusters(_ offset: UInt64, _ entries: UInt32) -> UInt64 {
            guard entries > 0 else { return 0 }
            let end = offset &+ UInt64(entries) * 8
            return ((end &- 1) >> UInt64(clusterBits)) &- (offset >> UInt64(clusterBits)) &+ 1
        }
        referenced[n + 1] = l1Clusters(header.l1TableOffset, header.l1Size)
        for (i, s) in snapshots.enumerated() where walkable[i] { referenced[i + 1] = l1Clusters(s.l1TableOffset, s.l1Size) }
        if directory.ownerTablesComplete {
            for o in 1..<min(owners, directory.ownerTables.count) {
                for t in directory.ownerTables[o] { referenced[o] &+= 1 &+ UInt64(directory.refs[Int(t)].hostClusters) }
            }
        }
        // Exclusive clusters, and who shares with whom (lowest/highest owner per cluster).
        let inferParents = map.tracksOwners && n <= 512
        var pairs = inferParents ? [UInt64](repeating: 0, count: owners * owners) : []
        if let low = map.ownerLow, let high = map.ownerHigh {
            for c in 0..<tracked where low[c] != 0 {
                let lo = Int(low[c]), hi = Int(high[c])
                guard hi < owners else { continue }
                if lo == hi { exclusive[lo] &+= 1 }
                if inferParents { pairs[lo * owners + hi] &+= 1 }
            }
        }
        // shares[i][j] (i < j): clusters whose owner interval covers both i and j.
        if inferParents {
            for a in 0..<owners { for b in stride(from: owners - 2, through: 0, by: -1) { pairs[a * owners + b] &+= pairs[a * owners + b + 1] } }
            for a in 1..<owners { for b in 0..<owners { pairs[a * owners + b] &+= pairs[(a - 1) * owners + b] } }
        }
        func parent(of code: Int) -> (Int?, UInt64) {
            guard inferParents, code > 1 else { return (nil, 0) }
            var best: (Int?, UInt64) = (nil, 0)
            for i in 1..<code where pairs[i * owners + code] >= best.1 && pairs[i * owners + code] > 0 {
                best = (i - 1, pairs[i * owners + code])
            }
            return best
        }
        let exclusiveKnown = map.tracksOwners || n == 0
        func usage(_ code: Int, snapshot: Snapshot?, index: Int?) -> SnapshotUsage {
            let (p, shared) = parent(of: code)
            let excl: UInt64? = exclusiveKnown ? (n == 0 ? referenced[code] : exclusive[code]) * cs : nil
            return SnapshotUsage(snapshot: snapshot, index: index, referencedBytes: referenced[code] * cs,
                                 exclusiveBytes: excl, parent: p, sharedWithParentBytes: shared * cs,
                                 diskSize: snapshot?.diskSize ?? header.size)
        }
        let list = snapshots.enumerated().map { usage($0.offset + 1, snapshot: $0.element, index: $0.offset) }
        return (list, usage(n + 1, snapshot: nil, index: nil))
    }
}
