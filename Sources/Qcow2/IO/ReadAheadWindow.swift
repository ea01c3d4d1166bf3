/// Which announced ranges a cold file asks the kernel to read now (``ReadOnlyFile/prefetch(_:)``):
/// a window of at most ``maxRanges`` ranges (and ``maxBytes`` bytes) ahead of the reader,
/// moved on by each read that reaches one of them.
///
/// Why a window and not every announced range at once: `posix_fadvise(WILLNEED)` submits its
/// reads inside the call, and once the device's queue is full (a few hundred requests) the call
/// waits there for reads to finish — on a cold 1 TiB image the scan spent more time blocked in
/// advice than in the reads it then waited for, unable to decode the tables already in. A window
/// of a hundred reads keeps the disk as busy (its throughput is reached with far fewer in flight)
/// and each advice returns at once. The window is refilled once half of it has been read, so the
/// advice goes out in batches of half a window (one hand-over to the advising thread each, see
/// ``ReadOnlyFile/prefetch(_:)``), not one per read.
///
/// Ranges are consumed in the order announced (the scan's file order, or the guest map
/// walker's guest order): a read that overlaps one of the first ``maxRanges`` advised ranges
/// retires it and every one before it. Reads of anything else leave the window as it is, unless
/// ranges wait behind a full window and ``maxRanges`` reads in a row reached none of it: then the reader has
/// gone elsewhere, and the window is retired and refilled. A range announced again while it is
/// still waiting or advised is not queued twice (the scan announces its first refcount blocks
/// early and then again).
struct ReadAheadWindow {
    static let maxRanges = 128
    static let maxBytes: UInt64 = 32 << 20

    /// Announced, not yet advised, in order; `pendingHead` is the first still waiting.
    private var pending: [Range<UInt64>] = []
    private var pendingHead = 0
    /// Advised and not yet reached by a read, in order; `advisedHead` is the oldest.
    private var advised: [Range<UInt64>] = []
    private var advisedHead = 0
    private var advisedBytes: UInt64 = 0
    /// Starts of the ranges waiting or advised (to drop repeated announcements).
    private var queued: Set<UInt64> = []
    /// Reads in a row that reached no advised range while the window was full.
    private var misses = 0

    /// Whether nothing is announced or advised (then reads need not look).
    var isIdle: Bool { pendingHead == pending.count && advisedHead == advised.count }

    /// Adds announced ranges (already merged and clipped) behind those waiting; returns the
    /// ranges to advise now.
    mutating func announce(_ ranges: [Range<UInt64>]) -> [Range<UInt64>] {
        for r in ranges where queued.insert(r.lowerBound).inserted { pending.append(r) }
        return fill()
    }

    /// A read of `range` happened: retires the advised ranges up to the one it overlaps, if any,
    /// and returns the ranges to advise now.
    mutating func read(_ range: Range<UInt64>) -> [Range<UInt64>] {
        let end = min(advised.count, advisedHead + Self.maxRanges)
        var k = advisedHead
        while k < end, !advised[k].overlaps(range) { k += 1 }
        if k == end {
            guard pendingHead < pending.count else { return [] }
            misses += 1
            guard misses >= Self.maxRanges else { return [] }
            k = end - 1
        }
        misses = 0
        for r in advised[advisedHead...k] {
            advisedBytes -= UInt64(r.count)
            queued.remove(r.lowerBound)
        }
        advisedHead = k + 1
        // Refilled once half the window is retired: advice goes out in batches of half a window.
        guard advised.count - advisedHead <= Self.maxRanges / 2, advisedBytes <= Self.maxBytes / 2 else { return [] }
        return fill()
    }

    /// Moves ranges from pending to advised while the window has room (always at least one).
    private mutating func fill() -> [Range<UInt64>] {
        var now: [Range<UInt64>] = []
        while pendingHead < pending.count {
            let r = pending[pendingHead]
            let inFlight = advised.count - advisedHead
            if inFlight > 0, inFlight >= Self.maxRanges || advisedBytes + UInt64(r.count) > Self.maxBytes { break }
            advised.append(r)
            advisedBytes += UInt64(r.count)
            pendingHead += 1
            now.append(r)
        }
        compact()
        return now
    }

    /// Drops the consumed fronts once they are most of their arrays.
    private mutating func compact() {
        if pendingHead > 1024, pendingHead * 2 > pending.count {
            pending.removeFirst(pendingHead)
            pendingHead = 0
        }
        if advisedHead > 1024, advisedHead * 2 > advised.count {
            advised.removeFirst(advisedHead)
            advisedHead = 0
        }
    }
}
