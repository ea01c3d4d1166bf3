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
            let first = directory.refs[order[k]].offset
            var n = 1
            while n < perRead, k + n < order.count,
                  directory.refs[order[k + n]].offset == first &+ UInt64(n) * clusterSize {
                n += 1
            }
            reads.append(TableReader.Read(offset: first, count: n * cs))
            starts.append(k)
            k += n
        }
        // The announcements the one-thread pass makes, before the reads it makes them before.
        let perBatch = max(1, Int(Self.prefetchBytes / clusterSize))
        var announcements: [[Range<UInt64>]] = Array(repeating: [], count: reads.count)
        var announced = 0
        for (r, start) in starts.enumerated() where start >= announced {
            announced = min(order.upperBound, start + perBatch)
            announcements[r] = (start..<announced).map { directory.refs[order[$0]].offset }.filter { $0 != 0 }
                .map { $0..<($0 &+ clusterSize) }
        }
        let file = self.file
        let ahead = announcements
        let reader = TableReader(file: file, reads: reads, largest: buffer.capacity) { r in
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
            for j in 0..<n {
                let table = UnsafeRawBufferPointer(rebasing: bytes[(j * cs)..<((j + 1) * cs)])
                scanL2(table, ref: order[k + j])
                // frag's tally walks the active tables here: on the reader's thread it made the
                // reads, the longer of the two threads' work, longer still.
                if let tally, directory.refs[order[k + j]].activeRefs > 0 {
                    tally.add(l2Offset: directory.refs[order[k + j]].offset, table: table)
                }
            }
            progress.advance(by: UInt64(n))
        }
    }
}

extension ImageScanner {
    /// For ``compareRefcounts()`` on a local file: a ``TableReader`` of the refcount blocks the
    /// stream reads (`table`'s entries below `blocks` that are not 0 and are cluster aligned, in
    /// order), with the announcements the one-thread stream makes; nil for a remote source or a
    /// handful of blocks.
    func refcountBlockReader(_ table: [UInt64], blocks: Int) -> TableReader? {
        let perBatch = max(1, Int(Self.prefetchBytes / clusterSize))
        var reads: [TableReader.Read] = []
        var announcements: [[Range<UInt64>]] = []
        var pending: [Range<UInt64>] = []
        var announced = 0
        for b in 0..<blocks {
            if b >= announced {
                announced = min(blocks, b + perBatch)
                pending += (b..<min(announced, table.count)).map { table[$0] & Qcow2.refcountTableOffsetMask }
                    .filter { $0 != 0 && isAligned($0) }.map { $0..<($0 &+ clusterSize) }
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
