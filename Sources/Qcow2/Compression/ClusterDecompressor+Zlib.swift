internal import CZlib

extension ClusterDecompressor {
    /// Window bits for raw deflate with QEMU's 4 KiB window (block/qcow2-threads.c passes -12 to
    /// `inflateInit2`; a negative value means "no zlib header").
    static let rawDeflateWindowBits: Int32 = -12

    /// Raw deflate, one `inflate(Z_FINISH)` call, as QEMU's `qcow2_zlib_decompress`.
    ///
    /// `Z_STREAM_END` is success; so is `Z_BUF_ERROR` when the output is exactly full, because the
    /// input is only known to the sector and may stop mid-stream after the last needed byte.
    /// Anything else, or an output that is not full, is a corrupt cluster.
    func inflateRaw(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                    at offset: UInt64) throws(FormatError) {
        guard let out = output.baseAddress else { return }
        guard input.count <= Int(UInt32.max) else {
            throw FormatError(.compressedCluster, at: offset, "\(input.count) compressed bytes exceed zlib's limit")
        }
        // zlib never writes through next_in; the empty-input case still needs a valid pointer.
        var empty: UInt8 = 0
        let status: Int32 = withUnsafeMutablePointer(to: &empty) { emptyPointer in
            var stream = z_stream()
            let inputPointer = input.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self)) }
            stream.next_in = inputPointer ?? emptyPointer
            stream.avail_in = uInt(input.count)
            stream.next_out = out.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(output.count)
            guard qs_inflate_init_raw(&stream, Self.rawDeflateWindowBits) == Z_OK else { return Z_MEM_ERROR - 1000 }
            let result = inflate(&stream, Z_FINISH)
            let full = stream.avail_out == 0
            inflateEnd(&stream)
            if (result == Z_STREAM_END || result == Z_BUF_ERROR) && full { return Z_OK }
            if result == Z_STREAM_END || result == Z_BUF_ERROR { return Z_BUF_ERROR - 1000 }
            return result
        }
        switch status {
        case Z_OK: return
        case Z_MEM_ERROR - 1000:
            throw FormatError(.compressedCluster, at: offset, "zlib could not be initialised")
        case Z_BUF_ERROR - 1000:
            throw FormatError(.compressedCluster, at: offset,
                              "deflate stream of \(input.count) bytes ends before the \(clusterSize)-byte cluster is full")
        default:
            throw FormatError(.compressedCluster, at: offset, "deflate stream is corrupt (zlib error \(status))")
        }
    }
}
