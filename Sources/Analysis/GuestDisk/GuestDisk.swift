import Qcow2
import Synchronization

/// The guest disk of one state of a qcow2 image — the active layer or an internal snapshot — as a
/// ``ByteSource``: its bytes are what the virtual machine reads, so the partition and filesystem
/// parsers of the Guest module read a qcow2 image exactly as they read a raw disk.
///
/// Every read goes through the guest map's walker (``GuestMapWalker``), the one place L2 entries
/// are classified with QEMU's rules, so a byte reads as `qemu-img convert -O raw` writes it:
/// normal (sub)clusters from the image, its external data file or a raw backing file; zero and
/// unallocated ones as zeros or from the backing chain (zeros past a shorter backing file);
/// compressed clusters decompressed (zlib or zstd). Entries QEMU refuses to read throw a
/// ``FormatError`` naming the L2 table and the entry's file offset; so do encrypted images, whose
/// bytes cannot be read without the key.
///
/// Bounded: a few L2 tables per layer and a few decompressed clusters are cached (a few MiB at
/// most, whatever the image says); nothing is read that the caller did not ask for. Reads are
/// serialised by a lock, so one disk can be shared by tasks.
public final class GuestDisk: ByteSource {
    /// Guest bytes: the state's virtual size rounded down to 512-byte sectors, as QEMU sees it.
    public let size: UInt64
    /// The layers read: the state first, then its backing chain.
    public let map: GuestMap
    private let state: Mutex<GuestDiskReader>

    /// The guest disk of `map`'s state. `hostFiles[i]` is the file host offsets of layer `i`
    /// point into (the image, its external data file, or the raw file); nil when it could not be
    /// opened (reading data there then throws).
    init(map: GuestMap, hostFiles: [(any ByteSource)?]) {
        self.map = map
        size = map.virtualSize
        state = Mutex(GuestDiskReader(layers: map.layers, hostFiles: hostFiles))
    }

    /// The active layer of `chain`'s top image, read through the whole chain.
    public convenience init(chain: BackingChain) throws(FormatError) {
        let map = try GuestMap(chain: chain)
        self.init(map: map, hostFiles: Self.hostFiles(chain))
    }

    /// Internal snapshot `snapshot` of `chain`'s top image (its L1 table over the same backing chain).
    public convenience init(chain: BackingChain, snapshot: Snapshot) throws(FormatError) {
        let map = try GuestMap(chain: chain).snapshot(snapshot)
        self.init(map: map, hostFiles: Self.hostFiles(chain))
    }

    /// The file each layer's host offsets point into.
    static func hostFiles(_ chain: BackingChain) -> [(any ByteSource)?] {
        chain.layers.map { layer in
            guard let image = layer.image else { return layer.file }
            switch image.openDataFile() {
            case nil: return image.file
            case .success(let file): return file
            case .failure: return nil
            }
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(FormatError) -> Int {
        guard offset < size, buffer.count > 0, let base = buffer.baseAddress else { return 0 }
        let count = Int(min(UInt64(buffer.count), size - offset))
        let target = UnsafeMutableRawBufferPointer(start: base, count: count)
        try state.withLock { reader throws(FormatError) in try reader.read(into: target, at: offset) }
        return count
    }
}
