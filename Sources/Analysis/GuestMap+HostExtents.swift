import Qcow2

/// Where a host file has data and where it has holes, asked of its byte source
/// (``ByteSource/allocation(at:)``: `lseek(SEEK_DATA/SEEK_HOLE)` on the file's own descriptor).
///
/// QEMU reports a raw file's holes, and the holes under a metadata-preallocated qcow2 image's data
/// clusters, as zero (`raw_co_block_status`); `qemu-img map` output depends on it, so the guest map
/// asks the same question. The probe remembers the last extent, so walking a file front to back
/// costs one question per extent, not per cluster.
final class HostExtentProbe {
    /// Bytes in the source.
    var size: UInt64 { source.size }
    private let source: any ByteSource
    private var cachedStart: UInt64 = 0
    private var cachedEnd: UInt64 = 0
    private var cachedIsData = false

    init(_ source: any ByteSource) { self.source = source }

    /// Whether `offset` holds data, and where that run of data (or hole) ends. A source that
    /// cannot tell is all data, as QEMU does when it "learned nothing".
    func extent(at offset: UInt64) -> (isData: Bool, end: UInt64) {
        if offset >= cachedStart && offset < cachedEnd { return (cachedIsData, cachedEnd) }
        let result = source.allocation(at: offset) ?? SourceExtent(isData: true, end: .max)
        cachedStart = offset
        cachedEnd = result.end
        cachedIsData = result.isData
        return (result.isData, result.end)
    }
}
