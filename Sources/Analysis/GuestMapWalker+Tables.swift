import Qcow2

/// A cluster-sized buffer for one L2 table; remembers which table it holds so a layer asked about
/// many small ranges reads each table once.
final class L2Buffer {
    let bytes: UnsafeRawBufferPointer
    private let storage: UnsafeMutableRawBufferPointer
    private(set) var loadedOffset: UInt64?

    init(size: Int) {
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        bytes = UnsafeRawBufferPointer(storage)
    }

    deinit { storage.deallocate() }

    /// Reads the table at `offset`; bytes past the end of the file read as zero, as QEMU's
    /// block layer pads reads past EOF.
    func load(from file: any ByteSource, at offset: UInt64) throws(FormatError) {
        if loadedOffset == offset { return }
        loadedOffset = nil
        try file.readZeroFilled(into: storage, at: offset)
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

    /// The table at host `offset`, most recently used last.
    func table(at offset: UInt64, from file: any ByteSource) throws(FormatError) -> L2Buffer {
        if let hit = buffers.lastIndex(where: { $0.loadedOffset == offset }) {
            let buffer = buffers.remove(at: hit)
            buffers.append(buffer)
            return buffer
        }
        let buffer = buffers.count < capacity ? L2Buffer(size: tableSize) : buffers.removeFirst()
        buffers.append(buffer)
        try buffer.load(from: file, at: offset)
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
        let table = try l2Table(layer: i, image: image, at: l2Offset)
        let index = Int((guest >> UInt64(header.clusterBits)) & (header.l2Entries - 1))
        let at = index * header.l2EntrySize
        let bitmap = header.hasExtendedL2 ? table.bytes.be64(at: at + 8) : 0
        return (L2Entry(raw: table.bytes.be64(at: at), bitmap: bitmap), l2Offset &+ UInt64(at))
    }
}
