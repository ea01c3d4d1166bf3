extension Header {
    /// What opening an image reads right after its header: the snapshot table and the backing
    /// file name. Announced to the source (``ByteSource/prefetch(_:)``) so a remote image fetches
    /// them together instead of one round trip each. The L1 and refcount tables are not: `info`
    /// reports neither, so they wait for ``Qcow2Image/prefetchTables()`` from the scan that does.
    ///
    /// The values are the header's, unchecked: each range is clipped to its structure's limit
    /// and dropped if its end would overflow; the source clips to its size. A hint only.
    func openingRanges(_ limits: DecodingLimits) -> [Range<UInt64>] {
        // The snapshot table's length is only known after decoding it; a typical entry with its
        // name and extra data is well under 128 bytes.
        let snapshotGuess = min(UInt64(nbSnapshots) &* 128, 64 << 10)
        return [
            Self.range(snapshotsOffset, snapshotGuess),
            hasBackingFile ? Self.range(backingFileOffset, UInt64(min(backingFileSize, 1023))) : nil,
        ].compactMap { $0 }
    }

    /// The active L1 table and the refcount table, which a scan reads first of all.
    func tableRanges(_ limits: DecodingLimits) -> [Range<UInt64>] {
        let clusterSize = hasUsableGeometry ? self.clusterSize : 0
        return [
            Self.range(l1TableOffset, min(UInt64(l1Size) &* 8, limits.maxL1TableBytes)),
            Self.range(refcountTableOffset, min(UInt64(refcountTableClusters) &* clusterSize, limits.maxRefcountTableBytes)),
        ].compactMap { $0 }
    }

    private static func range(_ offset: UInt64, _ length: UInt64) -> Range<UInt64>? {
        let (end, overflow) = offset.addingReportingOverflow(length)
        return overflow || length == 0 ? nil : offset..<end
    }
}

extension Qcow2Image {
    /// Announces the L1 and refcount tables (``Header/tableRanges(_:)``) and the snapshot table,
    /// for a scan about to read them all: a remote source fetches them in one round trip.
    public func prefetchTables() {
        file.prefetch(header.tableRanges(limits) + header.openingRanges(limits))
    }
}
