extension Qcow2Image {
    /// The decompressor for this image's compressed clusters, or nil when the header's
    /// compression_type is unknown or its geometry unusable (spec, "Additional fields").
    public var clusterDecompressor: ClusterDecompressor? { ClusterDecompressor(header: header) }

    /// Reads and decodes the compressed cluster `extent` describes (spec, "Compressed Clusters
    /// Descriptor"), returning exactly one cluster of guest data.
    ///
    /// QEMU reads `sectors * 512 - (offset & 511)` bytes; the descriptor's sector count can reach
    /// at most twice the cluster size, and that bound is checked here too. The last compressed
    /// cluster of a file often ends before its last sector does (QEMU only writes the bytes the
    /// stream needs), so the read stops at end of file instead of failing: the stream decides.
    public func readCompressedCluster(_ extent: CompressedExtent) throws(FormatError) -> [UInt8] {
        guard let decompressor = clusterDecompressor else {
            throw FormatError(.header, at: UInt64(Qcow2.compressionTypeOffset),
                              "compression_type \(header.compressionType) is unknown or the cluster size is unusable")
        }
        let length = extent.length
        guard extent.sectors >= 1, length <= 2 &* header.clusterSize else {
            throw FormatError(.compressedCluster, at: extent.offset,
                              "\(extent.sectors) sectors exceed twice the cluster size (\(header.clusterSize))")
        }
        guard extent.offset < file.size else {
            throw FormatError(.compressedCluster, at: extent.offset,
                              "compressed data starts past the end of the file (\(file.size) bytes)")
        }
        let available = min(length, file.size - extent.offset)
        let bytes = try file.readBytes(Int(available), at: extent.offset, for: .compressedCluster)
        return try decompressor.decompress(bytes, at: extent.offset)
    }

    /// Reads and decodes the compressed cluster an L2 entry points to.
    public func readCompressedCluster(_ entry: L2Entry) throws(FormatError) -> [UInt8] {
        try readCompressedCluster(entry.compressedExtent(clusterBits: header.clusterBits))
    }
}
