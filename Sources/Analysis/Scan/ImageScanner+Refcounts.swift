import Qcow2

extension ImageScanner {
    /// Entries of the refcount table QEMU reads: its clusters, at most QEMU's 8 MiB.
    var refcountTableEntries: Int {
        Int(min(UInt64(header.refcountTableClusters) * clusterSize, Qcow2.maxRefcountTableBytes) / 8)
    }

    /// The refcount table up to its last non-zero entry (the entries after it are 0), zero-filled
    /// past the end of the file; nil when it cannot be read. It is read through the scan buffer and
    /// kept only up to that entry: a table is allocated for growth, so with 2 MiB clusters a 4 TiB
    /// image has a 2 MiB table of which it uses 3 entries.
    ///
    /// A table ending past 2^63 is one the open rules reject ("invalid reference count table
    /// offset") and QEMU's block layer reads nothing of: it reads as empty here, so the wrapping
    /// sums `refcountTableOffset &+ i &* 8` in this file never wrap (entries ≤ 2^20).
    func readRefcountTable() -> [UInt64]? {
        let entries = refcountTableEntries
        guard header.refcountTableOffset <= UInt64(Int64.max) - UInt64(entries) * 8 else { return [] }
        let chunk = buffer.capacity / 8
        var table: [UInt64] = []
        var zeros = 0
        var done = 0
        while done < entries {
            let n = min(chunk, entries - done)
            guard let bytes = buffer.read(file, at: header.refcountTableOffset &+ UInt64(done) &* 8, count: n * 8) else { return nil }
            for j in 0..<n {
                let raw = bytes.be64(at: j &* 8)
                if raw == 0 { zeros += 1; continue }
                if zeros > 0 { table.append(contentsOf: repeatElement(0, count: zeros)); zeros = 0 }
                table.append(raw)
            }
            done += n
        }
        return table
    }

    /// `check_refblocks`, then `compare_refcounts` and `check_oflag_copied` in one stream over
    /// the refcount blocks: every stored refcount is decoded once and compared on the spot.
    mutating func compareRefcounts() throws(ScanError) {
        let read = readRefcountTable()
        if read == nil {
            checkError(.readError, at: header.refcountTableOffset, "the refcount table could not be read")
        }
        let table = read ?? []
        referenceRefcountBlocks(table)

        let perBlock = Int(header.refcountBlockEntries)
        let blocks = (map.capacity + perBlock - 1) / perBlock
        var highest = 0
        var announced = 0
        // A local file's blocks are read ahead on a second thread (announcing them itself).
        let reader = refcountBlockReader(table, blocks: blocks)
        reader?.start()
        defer { reader?.finish() }
        for b in 0..<blocks {
            try checkCancelled()
            if reader == nil, b >= announced {
                // The next blocks, for a remote source to fetch together (prefetch is a hint).
                announced = min(blocks, b + prefetchBatch)
                file.prefetch(refcountBlockRanges(table, b..<announced))
            }
            let base = b * perBlock
            let end = min(base + perBlock, map.capacity)
            let raw = b < table.count ? table[b] : 0
            let blockOffset = raw & Qcow2.refcountTableOffsetMask
            if blockOffset != 0, !isAligned(blockOffset) {
                let unreadable = max(0, min(end, tracked) - base)
                if unreadable > 0 {
                    checkError(.refcountBlock, at: header.refcountTableOffset &+ UInt64(b) &* 8, count: unreadable,
                               "refcount block \(b) at \(hex(blockOffset)) is misaligned: the refcounts of \(unreadable) clusters cannot be read")
                }
                skipBlock(base: base, end: end)
                continue
            }
            var block: UnsafeRawBufferPointer? = nil
            if blockOffset != 0 {
                if let reader {
                    block = reader.take()
                    if let block, buffer.fingerprint != nil { buffer.fingerprint?.record(offset: blockOffset, bytes: block) }
                } else {
                    block = buffer.read(file, at: blockOffset, count: Int(clusterSize))
                }
                if block == nil {
                    // As QEMU's compare_refcounts when qcow2_get_refcount fails: a check error per
                    // cluster whose refcount cannot be read, and no comparison (not corruptions).
                    let unreadable = max(1, min(end, tracked) - base)
                    checkError(.readError, at: blockOffset, count: unreadable,
                               "refcount block \(b) could not be read: the refcounts of \(unreadable) clusters cannot be read")
                    skipBlock(base: base, end: end)
                    continue
                }
            }
            compareBlock(block, base: base, end: end, highest: &highest)
            progress.advance()
        }
        counts.imageEndOffset = UInt64(highest + 1) * clusterSize
    }

    /// A block whose refcounts cannot be read: its clusters are not compared (their COPIED notes
    /// cleared).
    private mutating func skipBlock(base: Int, end: Int) {
        for c in base..<end { map.codes[c] = ClusterMap.withoutNote(map.codes[c]) }
        progress.advance()
    }

    /// Compares clusters `base..<end` against one decoded block (nil: every stored refcount is 0).
    private mutating func compareBlock(_ block: UnsafeRawBufferPointer?, base: Int, end: Int, highest: inout Int) {
        let order = header.refcountOrder
        let compared = tracked
        let fileClusters = map.capacity - 1
        let codes = map.codes
        var inUse: UInt64 = 0
        // Refcount 1 is by far the most common value: tallied locally, added once per block.
        var storedOnes: UInt64 = 0
        var computedOnes: UInt64 = 0
        // The usual cluster: a direct code counted once, stored refcount 1, one active reference
        // with COPIED (any role).
        let common = ClusterMap.countBit | ClusterMap.copiedBit
        let stateBits = ~ClusterMap.roleMask
        let fast = order == 4 && block != nil
        // Eight usual clusters at a time: one test of the eight codes and stored refcounts (no
        // branch per cluster), one store clearing the eight notes. A group with anything else
        // goes cluster by cluster below, all eight of it.
        let fastEnd = fast ? min(end, compared, fileClusters) : base
        let ones: UInt64 = 0x0101_0101_0101_0101
        let storedOne = UInt64(bigEndian: 0x0001_0001_0001_0001)
        var c = base
        var oneByOne = base
        while c < end {
            defer { c &+= 1 }
            if c >= oneByOne, c &+ 8 <= fastEnd, let block {
                let word = UnsafeRawPointer(codes + c).loadUnaligned(as: UInt64.self)
                let at = (c &- base) &* 2
                let differs = (word & (UInt64(stateBits) &* ones)) ^ (UInt64(common) &* ones)
                    | block.loadUnaligned(fromByteOffset: at, as: UInt64.self) ^ storedOne
                    | block.loadUnaligned(fromByteOffset: at &+ 8, as: UInt64.self) ^ storedOne
                if differs == 0 {
                    highest = c &+ 7
                    storedOnes &+= 8
                    computedOnes &+= 8
                    inUse &+= 8
                    UnsafeMutableRawPointer(codes + c).storeBytes(of: word & ~(UInt64(ClusterMap.copiedBit) &* ones), as: UInt64.self)
                    c &+= 7
                    continue
                }
                oneByOne = c &+ 8
            }
            if fast, let block {
                let code = codes[c]
                if code & stateBits == common, block.be16(at: (c - base) &* 2) == 1,
                   c < compared, c < fileClusters {
                    highest = c
                    storedOnes &+= 1
                    computedOnes &+= 1
                    inUse &+= 1
                    codes[c] = code & ~ClusterMap.copiedBit
                    continue
                }
            }
            let stored: UInt64
            if let block {
                stored = order == 4 ? UInt64(block.be16(at: (c - base) &* 2))
                    : RefcountBlock.refcount(in: block, index: c - base, order: order)
            } else {
                stored = 0
            }
            let code = codes[c]
            let computed = map.count(of: code, at: c)
            if stored | computed != 0 {
                if c < compared {
                    if stored != computed { mismatch(c, stored: stored, computed: computed) }
                    highest = c
                    // Only non-zero values: the zero buckets are what is left (see finish()).
                    if stored == 1 { storedOnes &+= 1 } else if stored != 0 { storedHistogram.add(stored) }
                    if computed == 1 { computedOnes &+= 1 } else if computed != 0 { computedHistogram.add(computed) }
                }
                if stored > 0 && c < fileClusters { inUse &+= 1 }
            }
            if code == 0 {
                if stored > 0 && c < compared { codes[c] = ClusterRole.leaked.rawValue }
                continue
            }
            let note = ClusterMap.note(of: code)
            guard note != .none else { continue }
            // One active reference whose COPIED flag agrees with the refcount: nothing to say.
            if !(note == .copied && stored == 1) && !(note == .notCopied && stored != 1) {
                checkCopied(cluster: c, note: note, stored: stored)
            }
            let cleared = ClusterMap.withoutNote(code)
            codes[c] = code & ClusterMap.roleMask == 0 && stored > 0 && c < compared
                ? cleared | ClusterRole.leaked.rawValue : cleared
        }
        storedInUse &+= inUse
        if storedOnes > 0 { storedHistogram.add(1, clusters: storedOnes) }
        if computedOnes > 0 { computedHistogram.add(1, clusters: computedOnes) }
        histogramClusters &+= UInt64(max(0, min(end, compared) - base))
    }

    private mutating func mismatch(_ c: Int, stored: UInt64, computed: UInt64) {
        let at = map.offset(of: c)
        if stored < computed {
            corruption(.refcountTooLow, at: at, "cluster \(c) refcount=\(stored) reference=\(computed)")
        } else {
            counts.leaks += 1
            findings.add(computed == 0 ? .leakedCluster : .refcountTooHigh, at: at, clusterBits: clusterBits,
                         severity: .warning, counting: .leak) {
                computed == 0 ? "cluster \(c) is not referenced but its refcount is \(stored)"
                    : "cluster \(c) refcount=\(stored) reference=\(computed)"
            }
        }
    }

    /// `check_oflag_copied` for the active entries recorded on cluster `c`.
    private mutating func checkCopied(cluster c: Int, note: ClusterMap.CopiedNote, stored: UInt64) {
        var copied: UInt32 = note == .copied ? 1 : 0
        var notCopied: UInt32 = note == .notCopied ? 1 : 0
        if note == .counted, let tally = copiedTallies[c] {
            copied = tally.copied
            notCopied = tally.notCopied
        }
        let wrong = stored == 1 ? notCopied : copied
        if wrong > 0 {
            let entries = wrong == 1 ? "an active L1/L2 entry names" : "\(wrong) active L1/L2 entries name"
            corruption(.copiedFlag, at: map.offset(of: c), times: wrong,
                       stored == 1 ? "\(entries) cluster \(c) without the COPIED flag, but its refcount is 1"
                           : "\(entries) cluster \(c) with the COPIED flag, but its refcount is \(stored)")
        }
    }

    /// `check_refblocks`: every refcount block must be aligned, inside the image and counted once.
    private mutating func referenceRefcountBlocks(_ table: [UInt64]) {
        for (i, raw) in table.enumerated() {
            let at = header.refcountTableOffset &+ UInt64(i) &* 8
            let offset = raw & Qcow2.refcountTableOffsetMask
            if raw & Qcow2.refcountTableReservedMask != 0 {
                corruption(.reservedBits, at: at, "refcount table entry \(i) (\(hex(raw))) has reserved bits set")
                continue
            }
            if !isAligned(offset) {
                corruption(.refcountBlock, at: at, "refcount block \(i) at \(hex(offset)) is not cluster aligned")
                continue
            }
            let cluster = offset >> UInt64(clusterBits)
            if cluster >= UInt64(tracked) {
                corruption(.refcountBlock, at: at, "refcount block \(i) at \(hex(offset)) is outside the image")
                continue
            }
            guard offset != 0 else { continue }
            reference(offset, clusterSize, role: .refcountBlock, what: "refcount block")
            let n = map.computedRefcount(at: Int(cluster))
            if n != 1 {
                corruption(.refcountBlock, at: at, "refcount block \(i) at \(hex(offset)) has \(n) references")
            }
        }
    }

    /// The COPIED check for active references to clusters past the map, reading their stored
    /// refcounts one block at a time.
    mutating func checkFarCopiedFlags() {
        guard !farCopied.isEmpty else { return }
        let table = readRefcountTable() ?? []
        let entries = UInt64(refcountTableEntries)
        let perBlock = UInt64(header.refcountBlockEntries)
        var cachedBlock = UInt64.max
        var cached: [UInt8] = []
        for far in farCopied {
            let b = far.cluster / perBlock
            guard b < entries else {
                if far.copied { corruption(.copiedFlag, at: far.cluster << UInt64(clusterBits), times: far.count, "COPIED set on a cluster past the end of the file whose refcount is 0") }
                continue
            }
            let offset = (b < UInt64(table.count) ? table[Int(b)] : 0) & Qcow2.refcountTableOffsetMask
            if offset != 0 && !isAligned(offset) { continue }
            var stored: UInt64 = 0
            if offset != 0 {
                if cachedBlock != offset {
                    cached = [UInt8](repeating: 0, count: Int(clusterSize))
                    _ = cached.withUnsafeMutableBytes { try? file.readZeroFilled(into: $0, at: offset) }
                    cachedBlock = offset
                }
                stored = cached.withUnsafeBytes {
                    RefcountBlock.refcount(in: $0, index: Int(far.cluster % perBlock), order: header.refcountOrder)
                }
            }
            if (stored == 1) != far.copied {
                corruption(.copiedFlag, at: far.cluster << UInt64(clusterBits), times: far.count,
                           "COPIED flag \(far.copied ? "set" : "clear") on cluster \(far.cluster) whose refcount is \(stored)")
            }
        }
    }
}
