internal import CSystem
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ReadOnlyFile {
    /// Asks the kernel to read `ranges` ahead (`posix_fadvise(POSIX_FADV_WILLNEED)`): it queues
    /// the reads and returns, so on a cold page cache the disk works on many tables in parallel,
    /// in the order given (the scan's file order), while the scan decodes the first. Only a
    /// window of them is advised at a time, moved on by the reads (``ReadAheadWindow``: advice
    /// given all at once blocks once the device's queue is full, and the reader with it), and the
    /// advice is given on another thread, in order (``readAheadQueue``). Should that thread lag
    /// on a busy machine, a read of a table not yet advised just reads it: the advice is a hint.
    /// When four ranges spread over the batch (the last among them: the kernel's own read-ahead
    /// behind the reads so far may have brought in the first) are in the page cache, the batch is
    /// taken as cached (a file is usually warm or cold as a whole) and nothing is advised: on a
    /// warm cache the advice would only cost page-cache lookups. Neighbouring ranges become one advice of at most
    /// ``prefetchMerge`` bytes (the kernel reads a piece of each advice at most at a time). A hint:
    /// advice that fails changes nothing, and reads work the same without it.
    public func prefetch(_ ranges: [Range<UInt64>]) {
        #if os(Linux)
        guard !isCached(ranges) else { return }
        let merged = Self.merged(ranges, size: size)
        guard !merged.isEmpty else { return }
        let now = readAhead.withLock { window in
            let now = window.announce(merged)
            readAheadActive.store(!window.isIdle, ordering: .relaxed)
            return now
        }
        adviseLater(now)
        #endif
    }

    /// A read of `count` bytes at `offset` is about to happen: moves the window on and advises
    /// what comes into it, before the read waits for its own bytes.
    func moveReadAhead(past offset: UInt64, count: Int) {
        #if os(Linux)
        let (end, overflow) = offset.addingReportingOverflow(UInt64(count))
        guard !overflow else { return }
        let now = readAhead.withLock { window in
            let now = window.read(offset..<end)
            readAheadActive.store(!window.isIdle, ordering: .relaxed)
            return now
        }
        adviseLater(now)
        #endif
    }

    /// `ranges` clipped to `size`, neighbours merged up to ``prefetchMerge`` bytes, in order.
    static func merged(_ ranges: [Range<UInt64>], size: UInt64) -> [Range<UInt64>] {
        var out: [Range<UInt64>] = []
        var pending: Range<UInt64>? = nil
        for r in ranges where r.lowerBound < size {
            let clipped = r.lowerBound..<min(r.upperBound, size)
            if let p = pending, p.upperBound == clipped.lowerBound, clipped.upperBound - p.lowerBound <= prefetchMerge {
                pending = p.lowerBound..<clipped.upperBound
                continue
            }
            if let p = pending { out.append(p) }
            pending = clipped
        }
        if let p = pending { out.append(p) }
        return out
    }

    /// The largest range one advice covers.
    static let prefetchMerge: UInt64 = 2 << 20

    #if os(Linux)
    /// Whether the ranges at a quarter, half, three quarters and the end of `ranges` start in the
    /// page cache (``qs_is_cached``: a one-byte read that never waits); false when one does not or
    /// the kernel cannot tell.
    private func isCached(_ ranges: [Range<UInt64>]) -> Bool {
        let n = ranges.count
        guard n > 0 else { return true }
        for k in Set([n / 4, n / 2, 3 * n / 4, n - 1]) {
            let at = ranges[k].lowerBound
            guard at < size else { continue }
            guard at <= UInt64(Int64.max), qs_is_cached(descriptorForLockQuery, Int64(at)) == 1 else { return false }
        }
        return true
    }

    /// Gives the advice on ``readAheadQueue``, in order: the kernel allocates the pages and
    /// submits the reads inside each call (microseconds each, thousands for a fragmented image),
    /// work that another core does while the reader decodes.
    private func adviseLater(_ ranges: [Range<UInt64>]) {
        guard !ranges.isEmpty else { return }
        readAheadQueue.async { for r in ranges { self.advise(r) } }
    }

    func advise(_ r: Range<UInt64>) {
        // Offsets below the size (an off_t); a source's size never passes Int64.max.
        guard !r.isEmpty, r.upperBound <= UInt64(Int64.max) else { return }
        _ = posix_fadvise(descriptorForLockQuery, off_t(r.lowerBound), off_t(r.count), POSIX_FADV_WILLNEED)
    }
    #endif
}
