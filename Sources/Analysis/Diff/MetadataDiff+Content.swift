import Qcow2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MetadataDiff {
    /// `--content`: reads the ranges the metadata calls changed on both sides (through each
    /// state's ``GuestDisk``: compressed clusters decompressed, backing layers followed) and
    /// reports the clusters whose bytes are equal as ``DiffChange/rewrittenSame``. Compared one
    /// guest cluster of B (or the part of it inside the extent) at a time; reads go in batches of
    /// up to `batchBytes`. Bytes past A's end read as zeros. `progress` gets the bytes compared
    /// so far and returns false to stop (the rest keeps its metadata kind).
    public func comparingContent(from a: DiffState, to b: DiffState, batchBytes: Int = 1 << 20,
                                 progress: (UInt64) -> Bool = { _ in true }) throws(FormatError) -> MetadataDiff {
        let diskA = a.disk(), diskB = b.disk()
        let cluster = b.map.layers.first?.clusterSize ?? 65536
        let batch = max(Int(cluster), batchBytes - batchBytes % Int(cluster))
        var bufA = [UInt8](repeating: 0, count: batch)
        var bufB = [UInt8](repeating: 0, count: batch)
        var list = DiffExtentList()
        var findings = self.findings
        var done: UInt64 = 0
        var stopped = false
        for extent in extents {
            var g = extent.start
            while g < extent.end {
                if stopped || !progress(done) {
                    stopped = true
                    list.append(g, extent.end - g, extent.change)
                    break
                }
                let n = Int(min(UInt64(batch), extent.end - g))
                do throws(FormatError) {
                    try Self.read(diskA, into: &bufA, count: n, at: g)
                    try Self.read(diskB, into: &bufB, count: n, at: g)
                } catch {
                    // Unreadable bytes (a corrupt compressed cluster, an encrypted image, a refused
                    // entry): the range keeps its metadata kind and the reason is a finding.
                    if findings.count < Self.maxContentFindings {
                        findings.append(Finding(.error, error.structure, at: error.offset,
                                                "content not compared at guest \(hex(g)): \(error.reason)"))
                    }
                    list.append(g, UInt64(n), extent.change)
                    g += UInt64(n)
                    done += UInt64(n)
                    continue
                }
                var offset = 0
                while offset < n {
                    let piece = min(n - offset, Int((((g + UInt64(offset)) & ~(cluster - 1)) + cluster) - (g + UInt64(offset))))
                    let equal = bufA.withUnsafeBytes { pa in bufB.withUnsafeBytes { pb in
                        bytesEqual(UnsafeRawBufferPointer(rebasing: pa[offset..<offset + piece]),
                                   UnsafeRawBufferPointer(rebasing: pb[offset..<offset + piece]))
                    } }
                    list.append(g + UInt64(offset), UInt64(piece), equal ? .rewrittenSame : extent.change)
                    offset += piece
                }
                g += UInt64(n)
                done += UInt64(n)
            }
        }
        var out = self
        out.extents = list.extents
        out.findings = findings
        out.contentCompared = true
        return out
    }

    static let maxContentFindings = 50

    /// Reads `count` guest bytes; zeros past the disk's end (a shorter A).
    private static func read(_ disk: GuestDisk, into buffer: inout [UInt8], count: Int, at offset: UInt64) throws(FormatError) {
        var failure: FormatError?
        buffer.withUnsafeMutableBytes { raw in
            do throws(FormatError) {
                try disk.readZeroFilled(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<count]), at: offset)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }
}

/// Byte equality of two equal-length ranges (memcmp: the content diff compares gigabytes).
private func bytesEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    guard a.count == b.count else { return false }
    guard let pa = a.baseAddress, let pb = b.baseAddress else { return true }
    return memcmp(pa, pb, a.count) == 0
}
