import Qcow2

/// The mutable half of a ``GuestDisk``: the walker with its L2 table caches, the pieces of the
/// current read, and the decompressed-cluster cache. Used under the disk's lock only (hence
/// `@unchecked Sendable`: the lock, not the type, makes it safe).
final class GuestDiskReader: @unchecked Sendable {
    let layers: [GuestMapLayer]
    let hostFiles: [(any ByteSource)?]
    private let sink = PieceSink()
    private var walker: GuestMapWalker
    var compressedCache: RecentClusters

    /// A few MiB of L2 tables and decompressed clusters per disk, whatever the cluster size.
    static let cacheBytes: UInt64 = 4 << 20
    static let maxCachedTables = 16

    init(layers: [GuestMapLayer], hostFiles: [(any ByteSource)?]) {
        self.layers = layers
        self.hostFiles = hostFiles
        let clusterSize = layers.first?.clusterSize ?? 65536
        let perLayer = Int(min(UInt64(Self.maxCachedTables), max(1, Self.cacheBytes / clusterSize)))
        let sink = self.sink
        walker = GuestMapWalker(layers: layers, strict: true, tablesPerLayer: perLayer) { sink.pieces.append(($0, $1)) }
        compressedCache = RecentClusters(capacity: Int(max(2, min(8, Self.cacheBytes / clusterSize))))
    }

    /// Fills `buffer` with guest `[offset, offset + buffer.count)`, which lies inside the disk.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(FormatError) {
        sink.pieces.removeAll(keepingCapacity: true)
        defer { sink.pieces.removeAll(keepingCapacity: true) }
        try walker.walk(layer: 0, from: offset, to: offset + UInt64(buffer.count))
        for (entry, state) in sink.pieces {
            let from = Int(entry.start - offset)
            let piece = UnsafeMutableRawBufferPointer(rebasing: buffer[from..<from + Int(entry.length)])
            try fill(piece, entry, state)
        }
    }

    private func fill(_ piece: UnsafeMutableRawBufferPointer, _ entry: GuestMapEntry, _ state: GuestState) throws(FormatError) {
        switch state {
        case .zeroPlain, .zeroAllocated, .unallocated, .rawHole:
            piece.initializeMemory(as: UInt8.self, repeating: 0)
        case .data, .rawData:
            try readHost(piece, layer: entry.depth, at: entry.offset)
        case .compressed:
            try readCompressed(piece, layer: entry.depth, guest: entry.start)
        case .invalid:
            throw FormatError(.guestDisk, at: entry.start, "guest bytes at \(hex(entry.start)) map to an entry QEMU refuses to read")
        }
    }

    /// Normal clusters and raw data: bytes past the end of the host file read as zeros (QEMU's
    /// block layer pads reads past EOF; a raw file's last sector is rounded up).
    private func readHost(_ piece: UnsafeMutableRawBufferPointer, layer i: Int, at host: UInt64?) throws(FormatError) {
        let layer = layers[i]
        if layer.encrypted, let image = layer.image {
            throw FormatError(.header, at: 32, "the image is encrypted (crypt_method \(image.header.cryptMethod)): "
                              + "its guest bytes cannot be read without the key")
        }
        guard let file = hostFiles[i] else {
            throw FormatError(.dataFile, at: host ?? 0, "the external data file of layer \(i) could not be opened")
        }
        guard let host else { throw FormatError(.guestDisk, at: 0, "a data range of layer \(i) has no host offset") }
        try file.readZeroFilled(into: piece, at: host)
    }

    /// Compressed clusters, one guest cluster at a time, each decompressed once while it stays in
    /// the cache (a filesystem reads a cluster's blocks one by one).
    private func readCompressed(_ piece: UnsafeMutableRawBufferPointer, layer i: Int, guest start: UInt64) throws(FormatError) {
        guard let image = layers[i].image else {
            piece.initializeMemory(as: UInt8.self, repeating: 0)
            return
        }
        let clusterSize = image.header.clusterSize
        var done = 0
        while done < piece.count {
            let g = start + UInt64(done)
            let clusterStart = g & ~(clusterSize - 1)
            let n = min(piece.count - done, Int(clusterStart + clusterSize - g))
            guard let (entry, _) = try walker.l2Entry(layer: i, at: g), entry.isCompressed else {
                throw FormatError(.l2Table, at: 0, "no compressed descriptor for guest cluster \(hex(clusterStart))")
            }
            // A corrupt stream throws for the compressed cluster at its file offset.
            let cluster = try compressedCache.cluster(layer: i, entry: entry.raw) { () throws(FormatError) -> [UInt8] in
                try image.readCompressedCluster(entry)
            }
            let inCluster = Int(g - clusterStart)
            cluster.withUnsafeBytes { bytes in
                UnsafeMutableRawBufferPointer(rebasing: piece[done..<done + n])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[inCluster..<inCluster + n]))
            }
            done += n
        }
    }
}

/// Collects the walker's pieces for one read.
final class PieceSink {
    var pieces: [(GuestMapEntry, GuestState)] = []
}

/// The most recently decompressed clusters, keyed by layer and descriptor (equal descriptors
/// decode to equal bytes), least recently used dropped first.
struct RecentClusters {
    private var entries: [(layer: Int, descriptor: UInt64, bytes: [UInt8])] = []
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    mutating func cluster(layer: Int, entry descriptor: UInt64,
                          decode: () throws(FormatError) -> [UInt8]) throws(FormatError) -> [UInt8] {
        if let hit = entries.firstIndex(where: { $0.layer == layer && $0.descriptor == descriptor }) {
            let found = entries.remove(at: hit)
            entries.append(found)
            return found.bytes
        }
        let bytes = try decode()
        if entries.count >= capacity { entries.removeFirst() }
        entries.append((layer, descriptor, bytes))
        return bytes
    }
}
