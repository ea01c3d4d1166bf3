import Qcow2

/// A cluster-sized buffer for one L2 table; remembers which table it holds and which 4 KiB pages
/// of it were read, so a layer asked about many small ranges reads each page once, and a guest
/// disk read that needs one entry reads one page of a 2 MiB table, not all of it.
final class L2Buffer {
    let bytes: UnsafeRawBufferPointer
    private let storage: UnsafeMutableRawBufferPointer
    private(set) var loadedOffset: UInt64?
    private var pages: [Bool]
    private let pageSize: Int

    init(size: Int) {
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        bytes = UnsafeRawBufferPointer(storage)
        pageSize = min(size, 4096)
        pages = [Bool](repeating: false, count: max(1, size / pageSize))
    }

    deinit { storage.deallocate() }

    /// Makes the buffer hold the table at `offset`, with at least the bytes `range` of it read
    /// (missing pages in one `pread` per run); bytes past the end of the file read as zero, as
    /// QEMU's block layer pads reads past EOF.
    func load(from file: any ByteSource, at offset: UInt64, bytes range: Range<Int>) throws(FormatError) {
        if loadedOffset != offset {
            loadedOffset = nil
            for p in pages.indices { pages[p] = false }
        }
        var p = range.lowerBound / pageSize
        let last = min(pages.count, (range.upperBound + pageSize - 1) / pageSize)
        while p < last {
            guard !pages[p] else { p += 1; continue }
            var q = p
            while q < last, !pages[q] { q += 1 }
            loadedOffset = nil
            try file.readZeroFilled(into: UnsafeMutableRawBufferPointer(rebasing: storage[(p * pageSize)..<(q * pageSize)]),
                                    // A masked L2 offset (< 2^56) plus less than a cluster.
                                    at: offset &+ UInt64(p * pageSize))
            for k in p..<q { pages[k] = true }
            p = q
        }
        loadedOffset = offset
    }
}

/// The L2 tables one layer keeps: at most `capacity` buffers, the least recently used reloaded
/// first. A whole-disk walk uses one (each table is read once, in order); a guest disk read at
/// scattered offsets keeps a few so alternating between two regions does not reread tables.
/// Memory is bounded by `capacity` clusters whatever the image says.
final class L2TableCache {
    private var buffers: [L2Buffer] = []
    private let tableSize: Int
    private let capacity: Int

    init(tableSize: Int, capacity: Int) {
        self.tableSize = tableSize
        self.capacity = max(1, capacity)
    }

    /// The table at host `offset` with its bytes `range` read, most recently used last.
    func table(at offset: UInt64, bytes range: Range<Int>, from file: any ByteSource) throws(FormatError) -> L2Buffer {
        let buffer: L2Buffer
        if let hit = buffers.lastIndex(where: { $0.loadedOffset == offset }) {
            buffer = buffers.remove(at: hit)
        } else {
            buffer = buffers.count < capacity ? L2Buffer(size: tableSize) : buffers.removeFirst()
        }
        buffers.append(buffer)
        try buffer.load(from: file, at: offset, bytes: range)
        return buffer
    }
}

extension GuestMapWalker {
    /// log2 of the guest bytes one L1 entry covers: an L2 table holds cluster_size / entry size
    /// entries (8 bytes, 16 with extended L2), each mapping one cluster.
    static func l1Shift(_ header: Header) -> UInt64 {
        let clusterBits = UInt64(header.clusterBits)
        return clusterBits + clusterBits - (header.hasExtendedL2 ? 4 : 3)
    }

    /// The raw L2 entry of the guest cluster holding `guest` in qcow2 layer `i`, read through the
    /// layer's table cache, and the file offset of the entry: what a piece of state
    /// ``GuestState/compressed`` was classified from, for reading its descriptor. Nil where the
    /// layer has no (usable) L2 table, which the walk has already reported.
    func l2Entry(layer i: Int, at guest: UInt64) throws(FormatError) -> (entry: L2Entry, at: UInt64)? {
        guard case .qcow2(let image, let l1) = layers[i].format else { return nil }
        let header = image.header
        let l1Index = guest >> Self.l1Shift(header)
        guard l1Index < UInt64(l1.count) else { return nil }
        let l2Offset = l1[Int(l1Index)] & Qcow2.l1OffsetMask
        guard l2Offset != 0, l2Offset & (header.clusterSize - 1) == 0 else { return nil }
        let index = Int((guest >> UInt64(header.clusterBits)) & (header.l2Entries - 1))
        let at = index * header.l2EntrySize
        let table = try l2Table(layer: i, image: image, at: l2Offset, bytes: at..<(at + header.l2EntrySize))
        let bitmap = header.hasExtendedL2 ? table.bytes.be64(at: at + 8) : 0
        // l2Offset is masked (< 2^56) and `at` is inside one cluster.
        return (L2Entry(raw: table.bytes.be64(at: at), bitmap: bitmap), l2Offset &+ UInt64(at))
    }
}

extension GuestMapWalker {
    /// Bytes of L2 tables announced at once.
    static let prefetchBytes: UInt64 = 32 << 20

    /// Announces to layer `i`'s source (``ByteSource/prefetch(_:)``) the L2 tables of L1 entries
    /// `first...last`, up to ``prefetchBytes`` of them, and remembers how far it got. Misaligned
    /// and empty entries are left out (the walk reports them).
    func announceTables(layer i: Int, image: Qcow2Image, l1: [UInt64], from first: UInt64, through last: UInt64) {
        let clusterSize = image.header.clusterSize
        let perBatch = max(1, Self.prefetchBytes / clusterSize)
        // first < l1.count (the caller checked); last is clipped to the table.
        let end = min(UInt64(l1.count), min(last, first + perBatch - 1) + 1)
        var ranges: [Range<UInt64>] = []
        for index in first..<end {
            let offset = l1[Int(index)] & Qcow2.l1OffsetMask
            if offset != 0, offset & (clusterSize - 1) == 0 { ranges.append(offset..<(offset + clusterSize)) }
        }
        image.file.prefetch(ranges)
        announcedL1[i] = first..<end
    }
}
