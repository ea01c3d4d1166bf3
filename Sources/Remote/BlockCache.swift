/// The bytes already fetched, in blocks of ``blockSize``, at most ``capacity`` blocks: the oldest
/// block fetched is dropped first. qcow2 metadata is read once per scan in file order and the
/// explorer returns to a few tables, so first-in first-out keeps what is asked again.
struct BlockCache {
    let blockSize: UInt64
    let capacity: Int
    private var blocks: [UInt64: [UInt8]] = [:]
    private var order: [UInt64] = []
    private var head = 0

    init(blockSize: UInt64, capacityBytes: Int) {
        self.blockSize = blockSize
        self.capacity = max(16, capacityBytes / Int(blockSize))
    }

    func block(_ index: UInt64) -> [UInt8]? { blocks[index] }
    func contains(_ index: UInt64) -> Bool { blocks[index] != nil }

    /// Stores the blocks of `bytes`, fetched at `offset` (block aligned); the last may be short
    /// (the end of the source).
    mutating func insert(_ bytes: [UInt8], at offset: UInt64) {
        var start = 0
        var index = offset / blockSize
        while start < bytes.count {
            let end = min(bytes.count, start + Int(blockSize))
            if blocks.updateValue(Array(bytes[start..<end]), forKey: index) == nil {
                order.append(index)
                evict()
            }
            start = end
            index += 1
        }
    }

    private mutating func evict() {
        while blocks.count > capacity, head < order.count {
            blocks[order[head]] = nil
            head += 1
        }
        // Drop the consumed front now and then, so `order` stays about `capacity` long.
        if head > capacity {
            order.removeFirst(head)
            head = 0
        }
    }
}
