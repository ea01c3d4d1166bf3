import Qcow2

extension SharedTables {
    /// When both states are the same image over the same layers and name two different L2 tables
    /// for the L1 range `[g, end)`, the guest ranges whose raw L2 entries differ (merged runs of
    /// clusters, clipped to the range): an identical entry in the same file maps the same host
    /// cluster, descriptor or zero flag, so it reads the same bytes. Nil when the tables cannot be
    /// compared entry by entry (other images, a missing or misaligned table, past a state's end):
    /// the caller then compares the walker's pieces over the whole range.
    func differingEntries(at g: UInt64, end: UInt64, within size: UInt64,
                          _ walkerA: GuestMapWalker, _ walkerB: GuestMapWalker) throws(FormatError) -> [Range<UInt64>]? {
        guard applies, end <= size, end != .max, (end - 1) >> shiftA == g >> shiftA,
              case .qcow2(let imageA, _)? = walkerA.layers.first?.format,
              case .qcow2(let imageB, _)? = walkerB.layers.first?.format else { return nil }
        let index = g >> shiftA
        guard index < UInt64(l1A.count), index < UInt64(l1B.count) else { return nil }
        let header = imageA.header
        let offA = l1A[Int(index)] & Qcow2.l1OffsetMask, offB = l1B[Int(index)] & Qcow2.l1OffsetMask
        let mask = header.clusterSize - 1
        guard offA != 0, offB != 0, offA & mask == 0, offB & mask == 0 else { return nil }
        let clusterBits = UInt64(header.clusterBits)
        let entrySize = header.l2EntrySize
        let entryMask = header.l2Entries - 1
        // Only the entries of [g, end) are compared: the walker reads the pages that hold them.
        let entries = Int((g >> clusterBits) & entryMask) * entrySize
            ..< (Int(((end - 1) >> clusterBits) & entryMask) + 1) * entrySize
        let tableA = try walkerA.l2Table(layer: 0, image: imageA, at: offA, bytes: entries).bytes
        let tableB = try walkerB.l2Table(layer: 0, image: imageB, at: offB, bytes: entries).bytes
        var runs: [Range<UInt64>] = []
        var cluster = g >> clusterBits
        while cluster << clusterBits < end {
            let at = Int(cluster & entryMask) * entrySize
            var same = tableA.be64(at: at) == tableB.be64(at: at)
            if same && entrySize == 16 { same = tableA.be64(at: at + 8) == tableB.be64(at: at + 8) }
            if !same {
                let lo = max(g, cluster << clusterBits), hi = min(end, (cluster + 1) << clusterBits)
                if let last = runs.last, last.upperBound == lo { runs[runs.count - 1] = last.lowerBound..<hi } else { runs.append(lo..<hi) }
            }
            cluster += 1
        }
        return runs
    }
}
