internal import CZstd

extension ClusterDecompressor {
    /// The largest zstd window accepted, as a power of two: 4 MiB, twice the largest cluster.
    /// A frame QEMU writes for one cluster never needs more (zstd sizes the window to the content),
    /// and the bound keeps a hostile frame from making the decoder allocate zstd's default 128 MiB.
    static let zstdWindowLogMax: Int32 = 22

    /// Streaming zstd decompression until the output cluster is full, as QEMU's
    /// `qcow2_zstd_decompress`: the input may hold several frames and trailing sector padding.
    /// Fails when zstd reports an error, when a call makes no progress (the input ended before the
    /// cluster was full), or when the last frame was not completely flushed (more data than fits).
    func decompressZstd(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                        at offset: UInt64) throws(FormatError) {
        guard let context = ZSTD_createDCtx() else {
            throw FormatError(.compressedCluster, at: offset, "zstd could not be initialised")
        }
        defer { ZSTD_freeDCtx(context) }
        _ = ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, Self.zstdWindowLogMax)
        var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var remainingHint = 0
        // Each call either consumes input or produces output, so the loop ends within
        // input.count + output.count iterations; the bound makes that explicit.
        var budget = input.count + output.count + 2
        while outBuffer.pos < outBuffer.size {
            budget -= 1
            let lastIn = inBuffer.pos
            let lastOut = outBuffer.pos
            let result = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
            if ZSTD_isError(result) != 0 {
                let name = ZSTD_getErrorName(result).map { String(cString: $0) } ?? "unknown error"
                throw FormatError(.compressedCluster, at: offset, "zstd stream is corrupt: \(name)")
            }
            remainingHint = result
            if (inBuffer.pos <= lastIn && outBuffer.pos <= lastOut) || budget <= 0 {
                throw FormatError(.compressedCluster, at: offset,
                    "zstd stream of \(input.count) bytes ends after \(outBuffer.pos) of \(output.count) bytes")
            }
        }
        if remainingHint > 0 {
            throw FormatError(.compressedCluster, at: offset,
                              "zstd frame holds more than one \(output.count)-byte cluster, or is not flushed")
        }
    }
}
