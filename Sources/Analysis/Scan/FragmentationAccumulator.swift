/// Collects fragmentation of the active disk while L2 tables are read in file order.
///
/// An extent is a run of guest clusters that are consecutive in the guest and in the file.
/// Extents inside one L2 table are counted as soon as they end; the ones touching a table's
/// first or last entry are kept in a small per-table summary and joined in guest (L1) order by
/// ``stitch(order:)`` once every table has been read.
///
/// Wrapping arithmetic here (`&+`, `&*`) is on values bounded before they arrive, so it cannot
/// wrap: host offsets are L2 entries masked to 56 bits by the L2 pass (`Qcow2.offsetMask`), plus a
/// cluster size ≤ 2^21, so `host &+ clusterSize < 2^57`, and `extendContiguous` only moves
/// `lastHost` to a host offset the L2 pass read; per-table counters are at most a table's entries
/// (≤ 2^18), and `times` summed over all tables is at most the active L1 entries (l1_size, a
/// 32-bit field), so every total stays below 2^50.
struct FragmentationAccumulator {
    /// Extents by length in clusters: bucket k holds lengths in 2^k ..< 2^(k+1).
    var histogram = [UInt64](repeating: 0, count: 64)
    /// Guest-adjacent pairs of allocated clusters, and those also adjacent in the file.
    var pairs: UInt64 = 0
    var contiguousPairs: UInt64 = 0
    /// Host seeks on a sequential guest read (skipping holes) and their total distance.
    var jumps: UInt64 = 0
    var jumpBytes: Double = 0
    var guestAllocated: UInt64 = 0
    var guestCompressed: UInt64 = 0
    var summaries: [FragTableSummary] = []

    mutating func prepare(tables: Int) { summaries = Array(repeating: FragTableSummary(), count: tables) }

    mutating func addExtent(_ length: UInt64, times: UInt32 = 1) {
        guard length > 0 else { return }
        histogram[63 - length.leadingZeroBitCount] += UInt64(times)
    }

    /// Ends one table's scan: internal figures count `times`, the edges are kept for stitching.
    mutating func finish(_ scan: FragTableScan, table: Int, entries: Int, times: UInt32) {
        let t = UInt64(times)
        guestAllocated &+= scan.allocated &* t
        pairs &+= scan.pairs &* t
        contiguousPairs &+= scan.contiguousPairs &* t
        jumps &+= scan.jumps &* t
        jumpBytes += scan.jumpBytes * Double(times)
        guard scan.lastNormal >= 0 else { return }
        var s = scan
        let length = UInt64(s.lastNormal - s.runStart + 1)
        let touchesEnd = s.lastNormal == entries - 1
        if s.runStart == 0 {
            s.headLength = length
            if touchesEnd { s.tailLength = length }
        } else if touchesEnd {
            s.tailLength = length
        } else {
            addExtent(length, times: times)
        }
        summaries[table] = FragTableSummary(firstHost: s.firstHost, lastHost: s.lastHost,
                                            headLength: UInt32(truncatingIfNeeded: s.headLength),
                                            tailLength: UInt32(truncatingIfNeeded: s.tailLength),
                                            whole: s.runStart == 0 && touchesEnd, allocated: true)
    }

    /// Joins the per-table edges in guest order (`order[k]` is the table at L1 index k, or -1).
    mutating func stitch(order: [Int32], clusterSize cs: UInt64) {
        var openLength: UInt64 = 0
        var openHost: UInt64 = 0
        var previousEndsAllocated = false
        var lastHost: UInt64? = nil
        for t in order {
            guard t >= 0, Int(t) < summaries.count, summaries[Int(t)].allocated else {
                addExtent(openLength)
                openLength = 0
                previousEndsAllocated = false
                continue
            }
            let s = summaries[Int(t)]
            if s.headLength > 0, previousEndsAllocated {
                pairs += 1
                if s.firstHost == openHost &+ cs { contiguousPairs += 1 }
            }
            if let last = lastHost, s.firstHost != last &+ cs {
                jumps += 1
                jumpBytes += Double(s.firstHost > last &+ cs ? s.firstHost - (last &+ cs) : (last &+ cs) - s.firstHost)
            }
            var merged = UInt64(s.headLength)
            if s.headLength > 0, openLength > 0, s.firstHost == openHost &+ cs {
                merged += openLength
            } else {
                addExtent(openLength)
            }
            if s.whole {
                openLength = merged
            } else {
                addExtent(merged)
                openLength = UInt64(s.tailLength)
            }
            openHost = s.lastHost
            previousEndsAllocated = s.tailLength > 0
            lastHost = s.lastHost
        }
        addExtent(openLength)
    }
}

/// The edges of one active L2 table, for joining extents across tables (32 bytes; lengths
/// are at most one table's entries).
struct FragTableSummary {
    var firstHost: UInt64 = 0
    var lastHost: UInt64 = 0
    /// Length of the extent starting at entry 0 (0 when entry 0 is not allocated).
    var headLength: UInt32 = 0
    /// Length of the extent ending at the last entry (0 when it is not allocated).
    var tailLength: UInt32 = 0
    /// One extent covers the whole table.
    var whole = false
    /// The table has allocated clusters (false: a hole for stitching).
    var allocated = false
}

/// Running state while one active L2 table is scanned. Counters stay local (registers) during
/// the table and are added to the accumulator, times the table's active references, at the end.
struct FragTableScan {
    let clusterSize: UInt64
    var firstHost: UInt64 = 0
    var lastNormal = -1
    var lastHost: UInt64 = 0
    var runStart = -1
    var headLength: UInt64 = 0
    var tailLength: UInt64 = 0
    var allocated: UInt64 = 0
    var pairs: UInt64 = 0
    var contiguousPairs: UInt64 = 0
    var jumps: UInt64 = 0
    var jumpBytes: Double = 0

    init(clusterSize: UInt64) { self.clusterSize = clusterSize }

    /// Guest cluster `index` of the table is allocated at host offset `host`.
    @inline(__always)
    mutating func normal(index: Int, host: UInt64, into acc: inout FragmentationAccumulator, times: UInt32) {
        allocated &+= 1
        guard lastNormal >= 0 else {
            firstHost = host
            lastNormal = index
            lastHost = host
            runStart = index
            return
        }
        let expected = lastHost &+ clusterSize
        let adjacent = lastNormal == index - 1
        if host == expected {
            if adjacent {
                pairs &+= 1
                contiguousPairs &+= 1
                lastNormal = index
                lastHost = host
                return
            }
        } else {
            jumps &+= 1
            jumpBytes += Double(host > expected ? host - expected : expected - host)
        }
        if adjacent { pairs &+= 1 }
        closeRun(into: &acc, times: times)
        runStart = index
        lastNormal = index
        lastHost = host
    }

    /// The `count` entries after the last allocated one are allocated at the host clusters after
    /// its own: what `count` calls of ``normal(index:host:into:times:)`` would record.
    @inline(__always)
    mutating func extendContiguous(by count: Int) {
        let n = UInt64(count)
        allocated &+= n
        pairs &+= n
        contiguousPairs &+= n
        lastNormal &+= count
        lastHost &+= n &* clusterSize
    }

    private mutating func closeRun(into acc: inout FragmentationAccumulator, times: UInt32) {
        let length = UInt64(lastNormal - runStart + 1)
        if runStart == 0 { headLength = length } else { acc.addExtent(length, times: times) }
    }
}
