extension Qcow2Image {
    /// The refcount stored for host cluster `cluster` (spec, "Host cluster management"): its
    /// refcount table entry, then its refcount block, read through the image's source. 0 when
    /// the table has no block for it; nil when the block is misaligned, an offset overflows or a
    /// read fails.
    public func storedRefcount(ofCluster cluster: UInt64) -> UInt64? {
        let h = header
        guard h.hasUsableGeometry else { return nil }
        let perBlock = h.refcountBlockEntries
        let b = cluster / perBlock
        // refcount_table_clusters < 2^32 and clusters ≤ 2 MiB: the table holds < 2^50 entries,
        // so b * 8 below cannot overflow.
        guard b < UInt64(h.refcountTableClusters) * h.clusterSize / 8 else { return 0 }
        let (entryOffset, overflow) = h.refcountTableOffset.addingReportingOverflow(b * 8)
        guard !overflow else { return nil }
        // As QEMU's block layer, bytes past the end of the file read as zeros.
        var entry = [UInt8](repeating: 0, count: 8)
        let entryRead: Int? = entry.withUnsafeMutableBytes { try? file.readZeroFilled(into: $0, at: entryOffset) }
        guard entryRead != nil else { return nil }
        let offset = entry.withUnsafeBytes { $0.be64(at: 0) } & Qcow2.refcountTableOffsetMask
        if offset == 0 { return 0 }
        guard offset & (h.clusterSize - 1) == 0 else { return nil }
        var block = [UInt8](repeating: 0, count: Int(h.clusterSize))
        let read: Int? = block.withUnsafeMutableBytes { try? file.readZeroFilled(into: $0, at: offset) }
        guard read != nil else { return nil }
        return block.withUnsafeBytes { RefcountBlock.refcount(in: $0, index: Int(cluster % perBlock), order: h.refcountOrder) }
    }
}
