import Qcow2

extension ImageScanner {
    /// ``scanL2Tables()`` with the reads on a second thread (``TableReader``): the same reads
    /// (adjacent tables together), the same announcements to the source, the same decoding in
    /// the same order.
    mutating func scanL2TablesReadingAhead(_ order: Range<Int>, perRead: Int) throws(ScanError) {
        let cs = Int(clusterSize)
        // The reads, and the first table of each, grouped as the one-thread pass groups them.
        var reads: [TableReader.Read] = []
        var starts: [Int] = []
        var k = 0
        while k < order.count {
            let n = adjacentL2Tables(order, from: k, limit: perRead)
            reads.append(TableReader.Read(offset: directory.refs[order[k]].offset, count: n * cs))
            starts.append(k)
            k += n
        }
        // The announcements the one-thread pass makes, before the reads it makes them before.
        var announcements: [[Range<UInt64>]] = Array(repeating: [], count: reads.count)
        var announced = 0
        for (r, start) in starts.enumerated() where start >= announced {
            announced = min(order.upperBound, start + prefetchBatch)
            announcements[r] = l2TableRanges(order, start..<announced)
            if announced == order.upperBound { announcements[r] += firstRefcountBlockRanges() }
        }
        let file = self.file
        let ahead = announcements
        // Masks of the used entries for standard (8-byte) entries, one bit each.
        let reader = TableReader(file: file, reads: reads, largest: buffer.capacity, masks: !extendedL2) { r in
            if !ahead[r].isEmpty { file.prefetch(ahead[r]) }
        }
        reader.start()
        defer { reader.finish() }
        for (r, read) in reads.enumerated() {
            try checkCancelled()
            let n = read.count / cs
            let k = starts[r]
            guard let bytes = reader.take() else {
                checkError(.readError, at: read.offset, "I/O error reading \(n) L2 table(s)")
                fatal.append("an L2 table could not be read")
                continue
            }
            if buffer.fingerprint != nil { buffer.fingerprint?.record(offset: read.offset, bytes: bytes) }
            decodeL2Tables(bytes, mask: reader.mask, order, from: k, count: n)
        }
    }
}

extension ImageScanner {
    /// For ``compareRefcounts()`` on a local file: a ``TableReader`` of the refcount blocks the
    /// stream reads (`table`'s entries below `blocks` that are not 0 and are cluster aligned, in
    /// order), with the announcements the one-thread stream makes; nil for a remote source or a
    /// handful of blocks.
    func refcountBlockReader(_ table: [UInt64], blocks: Int) -> TableReader? {
        var reads: [TableReader.Read] = []
        var announcements: [[Range<UInt64>]] = []
        var pending: [Range<UInt64>] = []
        var announced = 0
        for b in 0..<blocks {
            if b >= announced {
                announced = min(blocks, b + prefetchBatch)
                pending += refcountBlockRanges(table, b..<announced)
            }
            let offset = (b < table.count ? table[b] : 0) & Qcow2.refcountTableOffsetMask
            guard offset != 0, isAligned(offset) else { continue }
            reads.append(TableReader.Read(offset: offset, count: Int(clusterSize)))
            announcements.append(pending)
            pending = []
        }
        guard file.remoteURL == nil, reads.count >= 8 else { return nil }
        let file = self.file
        let ahead = announcements
        return TableReader(file: file, reads: reads, largest: Int(clusterSize)) { r in
            if !ahead[r].isEmpty { file.prefetch(ahead[r]) }
        }
    }
}
