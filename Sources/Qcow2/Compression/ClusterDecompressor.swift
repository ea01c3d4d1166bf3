/// Decodes exactly one compressed cluster, as QEMU's `qcow2_co_decompress` does (block/qcow2-threads.c).
///
/// The spec ("Compressed Clusters Descriptor") stores a compressed cluster as a byte run whose
/// length is only known to the sector, so the input usually holds trailing bytes past the end of
/// the stream. Success therefore means "the output cluster was filled exactly", not "all input
/// was consumed": that is QEMU's rule, and it is what this type checks.
///
/// The codec (deflate or zstd) comes from the header's compression_type (spec, "Additional
/// fields"). Only this type and its `+Zlib` / `+Zstd` extensions touch the C libraries.
public struct ClusterDecompressor: Sendable, Hashable {
    /// The codec used for every compressed cluster of the image.
    public let compression: CompressionType
    /// Bytes one decoded cluster holds (the image's cluster size, 512 B ... 2 MiB).
    public let clusterSize: Int

    /// A decompressor for clusters of `clusterSize` bytes. A size outside the spec's 512 B ... 2 MiB
    /// is clamped into it so a hostile header can never make decoding allocate more than 2 MiB.
    public init(compression: CompressionType, clusterSize: Int) {
        self.compression = compression
        let minimum = 1 << Int(Qcow2.minClusterBits)
        let maximum = 1 << Int(Qcow2.maxClusterBits)
        self.clusterSize = min(max(clusterSize, minimum), maximum)
    }

    /// A decompressor for `header`'s codec and cluster size, or nil when the header names a
    /// compression type the spec does not define or has an unusable cluster size.
    public init?(header: Header) {
        guard let compression = header.compression, header.hasUsableGeometry else { return nil }
        self.init(compression: compression, clusterSize: Int(header.clusterSize))
    }

    /// Decodes one cluster from `input`, the bytes read at file offset `offset` (for errors).
    ///
    /// Throws a ``FormatError`` for ``Structure/compressedCluster`` at `offset` when the stream is
    /// corrupt, ends before the cluster is full, or would decode to more than one cluster.
    public func decompress(_ input: [UInt8], at offset: UInt64) throws(FormatError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: clusterSize)
        // `withUnsafe…Bytes` rethrow untyped errors; carry the typed one out in a Result.
        let result: Result<Void, FormatError> = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { destination in
                Result { () throws(FormatError) in try decompress(source, into: destination, at: offset) }
            }
        }
        try result.get()
        return output
    }

    /// Decodes one cluster from `input` into `output`, which must hold exactly ``clusterSize``
    /// bytes (hot loops reuse one buffer for every cluster).
    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                           at offset: UInt64) throws(FormatError) {
        guard output.count == clusterSize else {
            throw FormatError(.compressedCluster, at: offset,
                              "output buffer of \(output.count) bytes is not one cluster (\(clusterSize))")
        }
        switch compression {
        case .deflate: try inflateRaw(input, into: output, at: offset)
        case .zstd: try decompressZstd(input, into: output, at: offset)
        }
    }
}
