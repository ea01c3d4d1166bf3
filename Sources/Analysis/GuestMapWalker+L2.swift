import Qcow2

extension GuestMapWalker {
    /// Walks guest `[start, end)` inside one L2 table of layer `i`, gathering runs of (sub)clusters
    /// of one type with contiguous host offsets (QEMU's `count_contiguous_subclusters`).
    ///
    /// Standard entries take a fast path: an entry equal to the previous one plus a cluster (or
    /// identical, for entries without a host offset) continues the run without being decoded.
    ///
    /// Bounds of the wrapping arithmetic here: guest positions are kept below `end` by comparing
    /// before adding (no guest sum can pass 2^64, whatever the virtual size); host offsets are
    /// masked L2 entries (< 2^56) and `l2Offset` a masked L1 entry, each plus less than one table's
    /// span (≤ 2^39); `expected` is an entry that is neither compressed (bit 62) nor wrapped, so
    /// below 0xC000_0000_0000_0000, plus at most one table's span.
    func walkL2(layer i: Int, image: Qcow2Image, table: UnsafeRawBufferPointer, l2Offset: UInt64,
                from start: UInt64, to end: UInt64) throws(FormatError) {
        let header = image.header
        let clusterBits = UInt64(header.clusterBits)
        let clusterSize = header.clusterSize
        let extended = header.hasExtendedL2
        let entrySize = header.l2EntrySize
        let entryMask = header.l2Entries - 1
        var run = Run(state: .unallocated, start: start, end: start, host: 0, hasHost: false)
        var expected: UInt64 = 0
        var canExpect = false
        var g = start
        var index = Int((g >> clusterBits) & entryMask)
        while g < end {
            let clusterStart = g & ~(clusterSize - 1)
            let next = end - clusterStart <= clusterSize ? end : clusterStart &+ clusterSize
            let raw = table.be64(at: index * entrySize)
            if !extended {
                if canExpect && raw == expected {
                    run.end = next
                    expected &+= run.hasHost ? clusterSize : 0
                    if run.hasHost {
                        // The entries after it that go on to the next host clusters (a file
                        // written in order, a preallocated one): eight per test, then the rest.
                        let more = Self.contiguousEntries(table, after: index, through: Int(((end - 1) >> clusterBits) & entryMask),
                                                          from: expected, step: clusterSize)
                        if more > 0 {
                            let span = UInt64(more + 1) << clusterBits
                            run.end = end - clusterStart <= span ? end : clusterStart &+ span
                            expected &+= UInt64(more) &* clusterSize
                            g = run.end
                            index += more + 1
                            continue
                        }
                    } else {
                        // Identical entries without a host cluster (unallocated, zero): skip the
                        // rest of them with a word compare, byte order needing no swap.
                        let same = Self.identicalEntries(table, after: index, through: Int(((end - 1) >> clusterBits) & entryMask))
                        if same > 0 {
                            let span = UInt64(same + 1) << clusterBits
                            run.end = end - clusterStart <= span ? end : clusterStart &+ span
                            g = run.end
                            index += same + 1
                            continue
                        }
                    }
                } else {
                    let (state, host) = try classify(layer: i, image: image, raw: raw, clusterStart: clusterStart,
                                                     entryAt: l2Offset &+ UInt64(index * entrySize))
                    try append(layer: i, &run, state, from: g, to: next, host: host.map { $0 + (g - clusterStart) })
                    let hostEnd = host.map { $0 &+ clusterSize } ?? 0
                    canExpect = state != .compressed && state != .invalid && hostEnd <= Qcow2.offsetMask
                    expected = host == nil ? raw : raw &+ clusterSize
                }
            } else {
                let bitmap = table.be64(at: index * entrySize + 8)
                try extendedCluster(layer: i, image: image, run: &run, raw: raw, bitmap: bitmap, clusterStart: clusterStart,
                                    from: g, to: next, entryAt: l2Offset &+ UInt64(index * entrySize))
            }
            g = next
            index += 1
        }
        try resolve(layer: i, run)
    }

    /// How many standard entries after `index`, up to entry `last`, are `first`, `first + step`,
    /// `first + 2 × step`... (each the previous one's next host cluster, same flags).
    @inline(__always)
    static func contiguousEntries(_ table: UnsafeRawBufferPointer, after index: Int, through last: Int,
                                  from first: UInt64, step: UInt64) -> Int {
        var j = index &+ 1
        var want = first
        while j &+ 8 <= last &+ 1 {
            var differs: UInt64 = 0
            for k in 0..<8 { differs |= table.be64(at: (j &+ k) &* 8) ^ (want &+ UInt64(k) &* step) }
            guard differs == 0 else { break }
            j &+= 8
            want &+= 8 &* step
        }
        while j <= last, table.be64(at: j &* 8) == want {
            j &+= 1
            want &+= step
        }
        return j &- index &- 1
    }

    /// How many standard entries after `index`, up to entry `last`, equal entry `index` exactly.
    @inline(__always)
    static func identicalEntries(_ table: UnsafeRawBufferPointer, after index: Int, through last: Int) -> Int {
        let word = table.loadUnaligned(fromByteOffset: index &* 8, as: UInt64.self)
        var j = index &+ 1
        while j <= last, table.loadUnaligned(fromByteOffset: j &* 8, as: UInt64.self) == word { j &+= 1 }
        return j &- index &- 1
    }

    /// The type and host cluster of a standard entry, after QEMU's checks in
    /// `qcow2_get_host_offset` (alignment, external data file offset = guest offset, no
    /// compression with a data file, no zero clusters before version 3).
    private func classify(layer i: Int, image: Qcow2Image, raw: UInt64, clusterStart: UInt64,
                          entryAt: UInt64) throws(FormatError) -> (GuestState, UInt64?) {
        let hasDataFile = layers[i].hasDataFile
        let entry = L2Entry(raw: raw)
        switch entry.clusterType(extendedL2: false, externalDataFile: hasDataFile) {
        case .compressed:
            if hasDataFile {
                try refuse(.l2Table, at: entryAt, "compressed cluster in an image with an external data file")
                return (.invalid, nil)
            }
            return (.compressed, nil)
        case .zeroPlain:
            if image.header.version < 3 { return try refuseZero(at: entryAt) }
            return (.zeroPlain, nil)
        case .zeroAllocated:
            if image.header.version < 3 { return try refuseZero(at: entryAt) }
            return try checkedHost(layer: i, image: image, .zeroAllocated, entry.hostOffset, clusterStart: clusterStart, entryAt: entryAt)
        case .normal:
            return try checkedHost(layer: i, image: image, .data, entry.hostOffset, clusterStart: clusterStart, entryAt: entryAt)
        default:
            return (.unallocated, nil)
        }
    }

    private func refuseZero(at entryAt: UInt64) throws(FormatError) -> (GuestState, UInt64?) {
        try refuse(.l2Table, at: entryAt, "zero cluster in a version 2 image")
        return (.invalid, nil)
    }

    private func checkedHost(layer i: Int, image: Qcow2Image, _ state: GuestState, _ host: UInt64,
                             clusterStart: UInt64, entryAt: UInt64) throws(FormatError) -> (GuestState, UInt64?) {
        if host & (image.header.clusterSize - 1) != 0 {
            try refuse(.l2Table, at: entryAt, "host cluster offset \(hex(host)) is not aligned to a cluster")
            return (.invalid, nil)
        }
        if layers[i].hasDataFile && host != clusterStart {
            try refuse(.l2Table, at: entryAt, "external data file offset \(hex(host)) does not match guest offset \(hex(clusterStart))")
            return (.invalid, nil)
        }
        return (state, host)
    }

    /// One cluster with extended L2 entries: uniform clusters are one piece, others one piece per
    /// subcluster (QEMU's `qcow2_get_subcluster_type`; compressed clusters ignore the bitmap).
    private func extendedCluster(layer i: Int, image: Qcow2Image, run: inout Run, raw: UInt64, bitmap: UInt64,
                                 clusterStart: UInt64, from start: UInt64, to end: UInt64, entryAt: UInt64) throws(FormatError) {
        let layer = layers[i]
        let entry = L2Entry(raw: raw, bitmap: bitmap)
        let alloc = UInt32(truncatingIfNeeded: bitmap)
        let zero = UInt32(truncatingIfNeeded: bitmap >> 32)
        var host: UInt64?
        switch entry.clusterType(extendedL2: true, externalDataFile: layer.hasDataFile) {
        case .compressed:
            var state = GuestState.compressed
            if layer.hasDataFile {
                try refuse(.l2Table, at: entryAt, "compressed cluster in an image with an external data file")
                state = .invalid
            }
            return try append(layer: i, &run, state, from: start, to: end, host: nil)
        case .normal:
            if entry.bitmapProblem(externalDataFile: layer.hasDataFile) == .allocatedAndZero {
                try refuse(.l2Table, at: entryAt, "subclusters both allocated and zero (bitmap \(hex(bitmap)))")
                return try append(layer: i, &run, .invalid, from: start, to: end, host: nil)
            }
            let (state, checked) = try checkedHost(layer: i, image: image, .data, entry.hostOffset, clusterStart: clusterStart, entryAt: entryAt)
            if state == .invalid { return try append(layer: i, &run, .invalid, from: start, to: end, host: nil) }
            host = checked
        default:
            if entry.bitmapProblem(externalDataFile: layer.hasDataFile) == .allocatedWithoutHost {
                try refuse(.l2Table, at: entryAt, "unallocated cluster with allocated subclusters (bitmap \(hex(bitmap)))")
                return try append(layer: i, &run, .invalid, from: start, to: end, host: nil)
            }
        }
        let uniform: GuestState? = zero == .max ? (host == nil ? .zeroPlain : .zeroAllocated)
            : alloc == .max ? .data : (alloc | zero) == 0 ? .unallocated : nil
        if let uniform {
            return try append(layer: i, &run, uniform, from: start, to: end, host: host.map { $0 + (start - clusterStart) })
        }
        let subclusterSize = image.header.subclusterSize
        var g = start
        while g < end {
            let index = Int((g - clusterStart) / subclusterSize)
            let pieceEnd = min(end, clusterStart + UInt64(index + 1) * subclusterSize)
            let state: GuestState
            switch entry.subclusterType(index, externalDataFile: layer.hasDataFile) {
            case .zeroPlain: state = .zeroPlain
            case .zeroAllocated: state = .zeroAllocated
            case .normal: state = .data
            default: state = .unallocated
            }
            try append(layer: i, &run, state, from: g, to: pieceEnd, host: host.map { $0 + (g - clusterStart) })
            g = pieceEnd
        }
    }

    /// Adds guest `[start, end)` to the run, or resolves the run and starts a new one.
    @inline(__always)
    func append(layer i: Int, _ run: inout Run, _ state: GuestState, from start: UInt64, to end: UInt64,
                host: UInt64?) throws(FormatError) {
        let hasHost = host != nil
        if run.end == start, run.state == state, run.hasHost == hasHost,
           !hasHost || run.host &+ (start - run.start) == host {
            run.end = end
            return
        }
        try resolve(layer: i, run)
        run = Run(state: state, start: start, end: end, host: host ?? 0, hasHost: hasHost)
    }
}
