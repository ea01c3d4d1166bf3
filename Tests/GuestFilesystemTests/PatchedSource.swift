import Foundation
import Qcow2
import Synchronization

/// A byte source for hostile tests: an optional base source (a real disk file), with byte patches
/// laid over it and zeros past the base up to `size` — a 1 TiB disk costs nothing. Counts reads, so
/// tests can check batching.
final class PatchedSource: ByteSource {
    let size: UInt64
    private let base: (any ByteSource)?
    private let patches: [(offset: UInt64, bytes: [UInt8])]
    private let readCount = Atomic<Int>(0)

    init(size: UInt64, base: (any ByteSource)? = nil, patches: [(UInt64, [UInt8])] = []) {
        self.size = size
        self.base = base
        self.patches = patches.map { (offset: $0.0, bytes: $0.1) }
    }

    var reads: Int { readCount.load(ordering: .relaxed) }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(FormatError) -> Int {
        readCount.add(1, ordering: .relaxed)
        guard offset < size else { return 0 }
        let count = Int(min(UInt64(buffer.count), size - offset))
        guard count > 0, let address = buffer.baseAddress else { return 0 }
        address.initializeMemory(as: UInt8.self, repeating: 0, count: count)
        if let base, offset < base.size {
            let part = UnsafeMutableRawBufferPointer(start: address, count: Int(min(UInt64(count), base.size - offset)))
            _ = try base.read(into: part, at: offset)
        }
        for patch in patches {
            let end = patch.offset + UInt64(patch.bytes.count)
            guard patch.offset < offset + UInt64(count), end > offset else { continue }
            for i in max(patch.offset, offset)..<min(end, offset + UInt64(count)) {
                buffer[Int(i - offset)] = patch.bytes[Int(i - patch.offset)]
            }
        }
        return count
    }
}

/// Little- and big-endian field bytes for patches.
func le(_ value: UInt64, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) } }
func be(_ value: UInt64, _ width: Int) -> [UInt8] { le(value, width).reversed() }
