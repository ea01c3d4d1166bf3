extension Header {
    /// The tables opening an image reads right after its header: the active L1 table, the
    /// refcount table, the snapshot table and the backing file name. Announced to the source
    /// (``ByteSource/prefetch(_:)``) so a remote image fetches them together — one request when
    /// they sit next to each other, as they do in a fresh image — instead of one round trip each.
    ///
    /// The values are the header's, unchecked: each range is clipped to its structure's limit
    /// and dropped if its end would overflow; the source clips to its size. A hint only.
    func openingRanges(_ limits: DecodingLimits) -> [Range<UInt64>] {
        func range(_ offset: UInt64, _ length: UInt64) -> Range<UInt64>? {
            let (end, overflow) = offset.addingReportingOverflow(length)
            return overflow || length == 0 ? nil : offset..<end
        }
        let clusterSize = hasUsableGeometry ? self.clusterSize : 0
        // The snapshot table's length is only known after decoding it; a typical entry with its
        // name and extra data is well under 128 bytes.
        let snapshotGuess = min(UInt64(nbSnapshots) &* 128, 64 << 10)
        return [
            range(l1TableOffset, min(UInt64(l1Size) &* 8, limits.maxL1TableBytes)),
            range(refcountTableOffset, min(UInt64(refcountTableClusters) &* clusterSize, limits.maxRefcountTableBytes)),
            range(snapshotsOffset, snapshotGuess),
            hasBackingFile ? range(backingFileOffset, UInt64(min(backingFileSize, 1023))) : nil,
        ].compactMap { $0 }
    }
}
