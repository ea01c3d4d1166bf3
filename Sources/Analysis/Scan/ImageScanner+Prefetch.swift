import Qcow2

/// The scan's announcements to its source (``ByteSource/prefetch(_:)``): which tables come next,
/// a batch of up to ``ImageScanner/prefetchBytes`` at a time. One place for the ranges, so the
/// one-thread passes and the read-ahead ones (``TableReader``) announce the same things.
extension ImageScanner {
    /// Tables announced together: ``prefetchBytes`` worth of clusters.
    var prefetchBatch: Int { max(1, Int(Self.prefetchBytes / clusterSize)) }

    /// The L2 tables `order[indices]`, one cluster each (offset 0, no table, left out).
    func l2TableRanges(_ order: Range<Int>, _ indices: Range<Int>) -> [Range<UInt64>] {
        indices.map { directory.refs[order[$0]].offset }.filter { $0 != 0 }.map { $0..<($0 &+ clusterSize) }
    }

    /// The refcount blocks `table[blocks]` (clamped to the table), one cluster each; empty and
    /// misaligned entries left out, as the refcount pass skips them.
    func refcountBlockRanges(_ table: [UInt64], _ blocks: Range<Int>) -> [Range<UInt64>] {
        blocks.clamped(to: 0..<table.count).map { table[$0] & Qcow2.refcountTableOffsetMask }
            .filter { $0 != 0 && isAligned($0) }.map { $0..<($0 &+ clusterSize) }
    }

    /// How many of the tables from `order[k]` on lie next to each other in the file (at most
    /// `limit`): the L2 tables one read takes.
    func adjacentL2Tables(_ order: Range<Int>, from k: Int, limit: Int) -> Int {
        let first = directory.refs[order[k]].offset
        var n = 1
        while n < limit, k + n < order.count,
              directory.refs[order[k + n]].offset == first &+ UInt64(n) * clusterSize {
            n += 1
        }
        return n
    }

    /// The first refcount blocks the refcount pass reads (up to ``prefetchBytes`` of them), to
    /// announce with the L2 pass's last tables: on a cold page cache the disk goes on from the
    /// last L2 table to the blocks instead of idling until the L2 pass ends and the refcount pass
    /// asks for them (a few milliseconds a batch on the 4 TiB benchmark image).
    ///
    /// It reads the start of the refcount table straight from the source, not through the scan
    /// buffer (the metadata fingerprint records what the refcount pass itself reads). The refcount
    /// pass announces the same blocks again, which costs nothing: a local file finds them cached
    /// or under way, a remote source in its cache. A hint only: a table that cannot be read
    /// announces nothing, and the refcount pass reports what it finds.
    func firstRefcountBlockRanges() -> [Range<UInt64>] {
        let perBlock = Int(clamping: header.refcountBlockEntries)
        guard perBlock > 0 else { return [] }
        let blocks = (map.capacity + perBlock - 1) / perBlock
        let entries = min(blocks, prefetchBatch, refcountTableEntries)
        let offset = header.refcountTableOffset
        guard entries > 0, offset <= UInt64(Int64.max) - UInt64(entries) * 8, offset < fileSize else { return [] }
        let count = Int(min(UInt64(entries) * 8, fileSize - offset))
        guard let bytes = try? file.readBytes(count, at: offset, for: .refcountTable) else { return [] }
        let table = bytes.withUnsafeBytes { raw in (0..<(count / 8)).map { raw.be64(at: $0 &* 8) } }
        return refcountBlockRanges(table, 0..<table.count)
    }
}
