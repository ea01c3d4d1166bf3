/// Per host cluster, the id of its set of owners in ``OwnerSets`` (0: nobody), stored in the
/// narrowest width, 1, 2 or 4 bytes, that holds every id stored so far.
///
/// Images have few distinct owner sets (about one per copy-on-write generation), so one byte a
/// cluster is the usual case: a quarter of a 32-bit table, and on a 4 KiB-cluster image with
/// snapshots that quarter was the largest part of the scan's memory (64 GiB benchmark image,
/// 374 K host clusters: 1.5 MB of ids, now 0.37 MB). Storing a larger id widens the table once per
/// step (1 to 2 to 4 bytes); the old copy is freed as soon as it has been copied.
final class OwnerIDTable {
    let count: Int
    /// Bytes per id.
    private(set) var width = 1
    private var storage: UnsafeMutableRawPointer

    init(count: Int) {
        self.count = count
        storage = Self.zeroed(count: count, width: 1)
    }

    deinit { storage.deallocate() }

    /// The id of cluster `index` (the caller keeps `index` in `0..<count`).
    @inline(__always)
    subscript(index: Int) -> UInt32 {
        switch width {
        case 1: return UInt32(storage.load(fromByteOffset: index, as: UInt8.self))
        case 2: return UInt32(storage.load(fromByteOffset: index &* 2, as: UInt16.self))
        default: return storage.load(fromByteOffset: index &* 4, as: UInt32.self)
        }
    }

    /// Stores `id` for cluster `index`, widening the table first when `id` does not fit.
    @inline(__always)
    func set(_ index: Int, _ id: UInt32) {
        reserve(id)
        store(index, id)
    }

    /// Widens the table so that `id` fits; after it ``store(_:_:)`` may be used for `id`.
    @inline(__always)
    func reserve(_ id: UInt32) {
        if width < 4, id >> UInt32(width &* 8) != 0 { widen(to: id > UInt32(UInt16.max) ? 4 : 2) }
    }

    /// Stores an id that already fits (see ``reserve(_:)``): the L2 pass reserves a table's owner
    /// set once and then stores it for each of the table's clusters.
    @inline(__always)
    func store(_ index: Int, _ id: UInt32) {
        switch width {
        case 1: storage.storeBytes(of: UInt8(truncatingIfNeeded: id), toByteOffset: index, as: UInt8.self)
        case 2: storage.storeBytes(of: UInt16(truncatingIfNeeded: id), toByteOffset: index &* 2, as: UInt16.self)
        default: storage.storeBytes(of: id, toByteOffset: index &* 4, as: UInt32.self)
        }
    }

    private func widen(to newWidth: Int) {
        let wider = Self.zeroed(count: count, width: newWidth)
        for i in 0..<count {
            let id = self[i]
            if id == 0 { continue }
            switch newWidth {
            case 2: wider.storeBytes(of: UInt16(truncatingIfNeeded: id), toByteOffset: i &* 2, as: UInt16.self)
            default: wider.storeBytes(of: id, toByteOffset: i &* 4, as: UInt32.self)
            }
        }
        storage.deallocate()
        storage = wider
        width = newWidth
    }

    private static func zeroed(count: Int, width: Int) -> UnsafeMutableRawPointer {
        let bytes = max(count, 1) &* width
        let raw = ZeroedMemory.allocateRaw(bytes: bytes, alignment: 4)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        return raw
    }
}
