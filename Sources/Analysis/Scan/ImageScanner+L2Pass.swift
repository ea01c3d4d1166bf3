import Qcow2

extension ImageScanner {
    /// Reads every distinct L2 table once, in file order, coalescing tables that sit next to
    /// each other into one `pread`, and applies each entry as often as QEMU's walk would.
    mutating func scanL2Tables() throws(ScanError) {
        let order = directory.readOrder()
        let cs = Int(clusterSize)
        let perRead = max(1, buffer.capacity / cs)
        frag.prepare(tables: directory.activeTables)
        // A local file is read ahead on a second thread (a remote one fetches ahead itself).
        if file.remoteURL == nil, order.count > perRead {
            try scanL2TablesReadingAhead(order, perRead: perRead)
            return
        }
        var k = 0
        var announced = 0
        while k < order.count {
            try checkCancelled()
            if k >= announced {
                announced = min(order.upperBound, k + prefetchBatch)
                file.prefetch(l2TableRanges(order, k..<announced))
                if announced == order.upperBound { file.prefetch(firstRefcountBlockRanges()) }
            }
            let first = directory.refs[order[k]].offset
            let n = adjacentL2Tables(order, from: k, limit: perRead)
            guard let bytes = buffer.read(file, at: first, count: n * cs) else {
                checkError(.readError, at: first, "I/O error reading \(n) L2 table(s)")
                fatal.append("an L2 table could not be read")
                k += n
                continue
            }
            decodeL2Tables(bytes, mask: nil, order, from: k, count: n)
            k += n
        }
    }

    /// Decodes the `n` tables `order[k..<k + n]` that one read brought (`bytes`, with the
    /// ``EntryMask`` of its standard entries when the reader made one), in order, and gives
    /// frag's tally the active ones.
    mutating func decodeL2Tables(_ bytes: UnsafeRawBufferPointer, mask: UnsafePointer<UInt64>?, _ order: Range<Int>,
                                 from k: Int, count n: Int) {
        let cs = Int(clusterSize)
        let maskWords = cs / EntryMask.bytesPerWord
        for j in 0..<n {
            let table = UnsafeRawBufferPointer(rebasing: bytes[(j * cs)..<((j + 1) * cs)])
            let tableMask = mask.map { $0 + j * maskWords }
            scanL2(table, mask: tableMask, ref: order[k + j])
            // frag's tally walks the active tables here, on the scan's thread: on the read-ahead
            // thread it made the reads, the longer of the two threads' work, longer still.
            if let tally, directory.refs[order[k + j]].activeRefs > 0 {
                tally.add(l2Offset: directory.refs[order[k + j]].offset, table: table, mask: tableMask)
            }
        }
        progress.advance(by: UInt64(n))
    }

    /// `check_refcounts_l2` for one table, applied `totalRefs` times (refcounts, corruptions)
    /// and `activeRefs` times (fragmentation counters, COPIED check).
    /// `mask`: the table's ``EntryMask`` (standard entries only), to skip empty entries unread.
    mutating func scanL2(_ table: UnsafeRawBufferPointer, mask: UnsafePointer<UInt64>?, ref index: Int) {
        let r = directory.refs[index]
        let times = r.totalRefs
        let active = r.activeRefs
        // check_oflag_copied skips L1 entries whose L2 offset is 0; check_refcounts_l1 does not.
        let copiedTimes = r.offset == 0 ? 0 : active
        let dataRole = r.dataRole
        let owners = r.ownerSet
        let stride = extendedL2 ? 16 : 8
        let mask = extendedL2 ? nil : mask
        let entries = min(Int(header.l2Entries), table.count / stride)
        let cs = clusterSize
        let cb = UInt64(clusterBits)
        var nextContiguous: UInt64 = 0
        // QEMU's frag counters, counted once per table and multiplied at the end.
        var allocated: UInt64 = 0
        var fragmented: UInt64 = 0
        var compressed: UInt64 = 0
        var scan = FragTableScan(clusterSize: cs)
        let codes = map.codes
        // The table's owner set is stored for each cluster it claims first: make room for it once.
        // Unretained: the map keeps it alive through the scan, and holding it here cost a retain
        // and a release per table (tens of thousands on a 4 KiB-cluster image).
        let ownerIDs = map.ownerIDs.map { Unmanaged.passUnretained($0) }
        ownerIDs?._withUnsafeGuaranteedRef { $0.reserve(owners) }
        let fileClusters = UInt64(map.capacity - 1)
        // The fast path writes a first reference directly: a code of 0 means nothing has counted,
        // claimed or noted the cluster yet. It needs no saturation (times fits the byte and the
        // width) and no COPIED tally (at most one active reference).
        let fastPath = UInt64(times) <= map.byteLimit && active <= 1
        let extended = extendedL2
        // Standard entries that need no check: not compressed, no reserved or zero bit, no data
        // file. With their offset aligned and inside the file they take the inline path below.
        let plainMask = Qcow2.compressedFlag | Qcow2.l2StandardReservedMask | Qcow2.zeroFlag
        let inline = fastPath && !extended && !hasDataFile
        let copiedBit = copiedTimes == 1
        let count = UInt8(truncatingIfNeeded: times)
        // The codes of a first reference by an entry with COPIED and by one without (the same
        // when the COPIED check does not look at this table).
        let codeCopied = ClusterMap.firstCode(role: dataRole, times: times, note: copiedBit ? .copied : .none)
        let codeNotCopied = ClusterMap.firstCode(role: dataRole, times: times, note: copiedBit ? .notCopied : .none)

        // Wrapping arithmetic in this loop is bounded: i < entries ≤ 2^18 (a 2 MiB table of
        // 8-byte entries); counters grow by at most entries × times per table; host offsets are
        // masked to 56 bits (and entries with reserved bits are not plain) before a cluster size
        // (≤ 2^21) is added; r.offset is a masked L1 entry, so r.offset + i × stride < 2^57.
        var i = 0
        while i < entries {
            if let mask {
                // Straight to the next used entry: every path does nothing with an empty one.
                i = EntryMask.next(mask, from: i, limit: entries)
                if i >= entries { break }
            } else if i &+ 8 <= entries, table.loadUnaligned(fromByteOffset: i &* stride, as: UInt64.self) == 0,
               table.wordsAreZero(at: i &* stride, count: stride) {
                // Eight empty entries (every byte 0, bitmaps included) at a time: a sparsely
                // written table is mostly these, and every path does nothing with one.
                i &+= 8
                continue
            }
            // Every path goes on with the next entry; a streak (below) moves `i` past it first.
            defer { i &+= 1 }
            let raw = table.be64(at: i &* stride)
            if inline {
                if raw == 0 { continue }
                let offset = raw & Qcow2.offsetMask
                let c = Int(truncatingIfNeeded: offset >> cb)
                if raw & plainMask == 0, offset != 0, offset & (cs - 1) == 0, offset >> cb < fileClusters, codes[c] == 0 {
                    if active > 0 {
                        allocated &+= 1
                        if nextContiguous != 0 && offset != nextContiguous { fragmented &+= 1 }
                        nextContiguous = offset &+ cs
                        scan.normal(index: i, host: offset, into: &frag, times: active)
                    }
                    let code = raw & Qcow2.copiedFlag != 0 ? codeCopied : codeNotCopied
                    map.setFirst(c, code: code, count: count)
                    ownerIDs?._withUnsafeGuaranteedRef { $0.store(c, owners) }
                    // The next entry names the next host cluster: maybe a streak.
                    guard i &+ 1 < entries, table.be64(at: (i &+ 1) &* 8) == raw &+ cs else { continue }
                    let streak = Self.applyStreak(table, after: i, entries: entries, raw: raw, cluster: c,
                                                  map: map, code: code, count: count, owners: owners)
                    if streak > 0 {
                        if active > 0 {
                            allocated &+= UInt64(streak)
                            nextContiguous = offset &+ UInt64(streak &+ 1) &* cs
                            scan.extendContiguous(by: streak)
                        }
                        i &+= streak
                    }
                    continue
                }
            }
            let bitmap = extended ? table.be64(at: i &* stride &+ 8) : 0
            if raw == 0 && bitmap == 0 { continue }
            let at = r.offset &+ UInt64(i &* stride)

            if raw & Qcow2.compressedFlag != 0 {
                if raw & Qcow2.copiedFlag != 0 {
                    corruption(.copiedFlag, at: at, times: times, "compressed cluster with the COPIED flag set (entry \(hex(raw)))")
                }
                if hasDataFile {
                    corruption(.compressedOutOfRange, at: at, times: times, "compressed cluster in an image with an external data file")
                    continue
                }
                if extendedL2, L2Entry(raw: raw, bitmap: bitmap).bitmapProblem(externalDataFile: false) == .compressedWithBitmap {
                    corruption(.invalidSubclusterBitmap, at: at, times: times, "compressed cluster with a non-zero subcluster bitmap")
                    continue
                }
                let extent = L2Entry(raw: raw).compressedExtent(clusterBits: clusterBits)
                // QEMU stores a cluster compressed only when that makes it smaller, so its stream
                // spans at most a cluster plus the sector it starts in; more is not QEMU's doing.
                if extent.length > cs &+ Qcow2.compressedSectorSize {
                    note(.compressedOutOfRange, at: at, structure: .compressedCluster,
                         "compressed cluster claims \(extent.length) bytes, more than a cluster (\(cs)) compresses to")
                }
                reference(extent.offset, extent.length, role: .compressed, times: times, owners: owners,
                          pastEnd: .compressedOutOfRange, what: "compressed cluster")
                compressed &+= 1
                continue
            }

            if raw & Qcow2.l2StandardReservedMask != 0 {
                corruption(.reservedBits, at: at, times: times, "L2 entry \(hex(raw)) has reserved bits set")
            }
            let offset = raw & Qcow2.offsetMask
            let zeroFlag = !extendedL2 && raw & Qcow2.zeroFlag != 0
            let copied = raw & Qcow2.copiedFlag != 0
            if offset == 0 && !(hasDataFile && copied && !zeroFlag) {
                if extendedL2, L2Entry(raw: raw, bitmap: bitmap).bitmapProblem(externalDataFile: hasDataFile) == .allocatedWithoutHost {
                    corruption(.invalidSubclusterBitmap, at: at, times: times,
                               "unallocated cluster with subclusters marked allocated (bitmap \(hex(bitmap)))")
                }
                continue
            }

            // A normal cluster, or a preallocated zero cluster.
            if extendedL2, L2Entry(raw: raw, bitmap: bitmap).bitmapProblem(externalDataFile: hasDataFile) == .allocatedAndZero {
                corruption(.invalidSubclusterBitmap, at: at, times: times,
                           "subclusters both allocated and zero (bitmap \(hex(bitmap)))")
            }
            if offset & (cs - 1) != 0 {
                corruption(.misalignedOffset, at: at, times: times, "data cluster offset \(hex(offset)) is not cluster aligned")
            }
            if active > 0 {
                allocated &+= 1
                if nextContiguous != 0 && offset != nextContiguous { fragmented &+= 1 }
                nextContiguous = offset &+ cs
                scan.normal(index: i, host: offset, into: &frag, times: active)
            }
            if !hasDataFile {
                // Fast path: the first reference to an aligned cluster inside the file.
                let c = Int(truncatingIfNeeded: offset >> cb)
                if fastPath, offset & (cs - 1) == 0, offset >> cb < fileClusters, codes[c] == 0 {
                    map.setFirst(c, code: copied ? codeCopied : codeNotCopied, count: count)
                    ownerIDs?._withUnsafeGuaranteedRef { $0.store(c, owners) }
                    continue
                }
                if copiedTimes > 0 { noteActive(cluster: offset >> cb, copied: copied, times: copiedTimes) }
                if offset >> cb < UInt64(tracked), map.computedRefcount(at: c) > 0 {
                    checkDuplicate(cluster: c, owners: owners, at: at)
                }
                reference(offset, cs, role: dataRole, times: times, owners: owners, what: "data cluster")
            } else if copiedTimes > 0, !copied {
                corruption(.copiedFlag, at: at, times: copiedTimes, "data cluster entry without COPIED in an image with a data file")
            }
        }
        if active > 0 {
            let a = UInt64(active)
            counts.allocatedClusters &+= (allocated &+ compressed) &* a
            counts.compressedClusters &+= compressed &* a
            counts.fragmentedClusters &+= (fragmented &+ compressed) &* a
            frag.guestCompressed &+= compressed &* a
            if r.activeSlot >= 0 { frag.finish(scan, table: Int(r.activeSlot), entries: entries, times: active) }
        }
    }

    /// A streak of standard 8-byte entries after entry `index` (`raw`, just applied through the
    /// inline path): each is the previous one plus one cluster (same flags, the next host
    /// cluster, still free in the map), as in preallocated or sequentially written tables. Each
    /// would take the inline path as a guest- and host-contiguous pair; they are applied here
    /// (code, count, owners) and the caller moves the fragmentation figures on once. Returns how
    /// many entries it applied. Kept out of line so the main loop keeps its registers. (An offset
    /// carrying into the reserved bits ends the streak: not plain.)
    @inline(never)
    private static func applyStreak(_ table: UnsafeRawBufferPointer, after index: Int, entries: Int, raw: UInt64,
                                    cluster c: Int, map: ClusterMap, code: UInt8, count: UInt8, owners: UInt32) -> Int {
        let cs = UInt64(1) << UInt64(map.clusterBits)
        let plainMask = Qcow2.compressedFlag | Qcow2.l2StandardReservedMask | Qcow2.zeroFlag
        let fileClusters = UInt64(map.capacity - 1)
        let codes = map.codes
        let ownerIDs = map.ownerIDs
        // An escaped code (a table shared by snapshots) also stores each count in the side pages.
        let escaped = code & ClusterMap.escaped != 0
        var streak = 0
        var next = raw &+ cs
        // Eight entries at a time while all eight continue the streak: one test for the eight
        // (no branch per entry) and one 8-byte store of their codes. The entry-by-entry loop
        // below takes the rest and decides where the streak ends.
        let fill = UInt64(code) &* 0x0101_0101_0101_0101
        while index &+ streak &+ 9 <= entries, UInt64(c &+ streak &+ 8) < fileClusters {
            let i = index &+ streak &+ 1
            let k = c &+ streak &+ 1
            var bad = UnsafeRawPointer(codes + k).loadUnaligned(as: UInt64.self)
            for j in 0..<8 {
                let expected = next &+ UInt64(j) &* cs
                bad |= (table.be64(at: (i &+ j) &* 8) ^ expected) | (expected & plainMask)
            }
            guard bad == 0 else { break }
            UnsafeMutableRawPointer(codes + k).storeBytes(of: fill, as: UInt64.self)
            if escaped { for j in 0..<8 { map.lowPage(of: k &+ j)[(k &+ j) & (ClusterMap.pageSize - 1)] = count } }
            if let ownerIDs { for j in 0..<8 { ownerIDs.store(k &+ j, owners) } }
            streak &+= 8
            next &+= 8 &* cs
        }
        while index &+ streak &+ 1 < entries, table.be64(at: (index &+ streak &+ 1) &* 8) == next,
              next & plainMask == 0, UInt64(c &+ streak &+ 1) < fileClusters, codes[c &+ streak &+ 1] == 0 {
            streak &+= 1
            map.setFirst(c &+ streak, code: code, count: count)
            ownerIDs?.store(c &+ streak, owners)
            next &+= cs
        }
        return streak
    }

    /// A second reference to a data cluster from the same L1 table (QEMU later reports its
    /// refcount as too low): without snapshots every data reference is the active L1's.
    private mutating func checkDuplicate(cluster c: Int, owners: UInt32, at: UInt64) {
        let role = map.role(at: c)
        guard role == .data || role == .dataShared || role == .snapshotData else { return }
        if map.tracksOwners {
            // Only certain when one L1 table reaches the cluster twice: both sets are {that owner}.
            guard map.ownerSet(at: c) == owners, sets.isSingleton(owners) else { return }
        }
        let location = hex(map.offset(of: c))
        note(.duplicateReference, at: at, severity: .error,
             "cluster \(c) (\(location)) is referenced by two L2 entries of the same L1 table")
    }
}
