import Qcow2

extension GuestMapLayer {
    /// QEMU's `qcow2_detect_metadata_preallocation` (qcow2-refcount.c): an image is treated as
    /// metadata-preallocated when at least `max(real * 10 / 9, real + 2)` of its file's clusters
    /// have a non-zero refcount, `real` being the clusters the file really occupies on disk
    /// (`st_blocks`). QEMU then reports holes under data clusters as zero ("zero": true,
    /// "data": true), which is why small sparse images often map that way too.
    ///
    /// Bounded: stops at the threshold, skips refcount blocks that are not allocated and zero
    /// words inside blocks, and only looks at clusters inside the file. Any damage QEMU would
    /// report as an error (unaligned refcount block, unreadable table) means "not detected".
    static func detectMetadataPreallocation(_ image: Qcow2Image) -> Bool {
        let header = image.header
        guard header.hasUsableGeometry, let allocated = image.file.allocatedBytes else { return false }
        let clusterSize = header.clusterSize
        let realClusters = allocated / clusterSize
        let threshold = max(realClusters * 10 / 9, realClusters + 2)  // realClusters < 2^55: no overflow
        let fileSize = image.file.size
        let endCluster = fileSize / clusterSize + (fileSize % clusterSize == 0 ? 0 : 1)
        guard let table = try? image.readRefcountTable() else { return false }

        let order = header.refcountOrder
        let perBlock = header.refcountBlockEntries
        let perWord = UInt64(64 >> order)
        var block = [UInt8](repeating: 0, count: Int(clusterSize))
        var count: UInt64 = 0
        var base: UInt64 = 0
        var tableIndex = 0
        while base < endCluster, count < threshold, tableIndex < table.count {
            let blockOffset = table[tableIndex] & Qcow2.refcountTableOffsetMask
            let entries = min(perBlock, endCluster - base)
            defer {
                base &+= perBlock
                tableIndex += 1
            }
            if blockOffset == 0 { continue }
            if blockOffset & (clusterSize - 1) != 0 { return false }
            let read = block.withUnsafeMutableBytes { buffer in
                Result { () throws(FormatError) -> Int in try image.file.readZeroFilled(into: buffer, at: blockOffset) }
            }
            guard case .success = read else { return false }
            count &+= block.withUnsafeBytes { buffer in
                Self.countNonZero(buffer, entries: entries, perWord: perWord, order: order, limit: threshold &- count)
            }
        }
        return count >= threshold
    }

    /// Non-zero refcounts among the first `entries` of a block, stopping once `limit` are found.
    /// Whole 64-bit words are tested first, so unused stretches cost one load per word; a
    /// non-zero word's fields are folded onto their lowest bit and counted with a popcount
    /// (field boundaries fall on the same bits whatever the byte order).
    private static func countNonZero(_ block: UnsafeRawBufferPointer, entries: UInt64, perWord: UInt64,
                                     order: UInt32, limit: UInt64) -> UInt64 {
        let width = UInt64(1) << UInt64(order)
        var lowBits: UInt64 = 0
        var shift: UInt64 = 0
        while shift < 64 {
            lowBits |= 1 << shift
            shift += width
        }
        var count: UInt64 = 0
        let words = entries / perWord
        var w: UInt64 = 0
        while w < words, count < limit {
            var word = block.loadUnaligned(fromByteOffset: Int(w) * 8, as: UInt64.self)
            w += 1
            if word == 0 { continue }
            var fold: UInt64 = 1
            while fold < width {
                word |= word >> fold
                fold <<= 1
            }
            count &+= UInt64((word & lowBits).nonzeroBitCount)
        }
        var index = words * perWord
        while index < entries, count < limit {
            if RefcountBlock.refcount(in: block, index: Int(index), order: order) != 0 { count &+= 1 }
            index += 1
        }
        return count
    }
}
