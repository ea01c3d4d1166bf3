import Qcow2

/// A non-resident attribute's data runs ("mapping pairs"; guest-formats.md §7): which clusters of
/// the volume hold each stretch of the attribute's virtual clusters.
struct NTFSRunList: Sendable {
    /// At most this many runs are decoded (a $Bitmap or $MFT has a handful; the cap bounds memory).
    static let maxRuns = 1 << 16

    /// One run: `length` clusters from logical cluster `lcn`, or sparse (nil: reads as zero).
    struct Run: Sendable, Hashable {
        var lcn: UInt64?
        var length: UInt64
    }

    var runs: [Run]
    /// The attribute's data size in bytes (non-resident header +0x30).
    var dataSize: UInt64

    /// Decodes the runs of the non-resident attribute `attribute` of `record`.
    init(_ record: NTFSRecord, _ attribute: NTFSRecord.Attribute) throws(FormatError) {
        let bytes = record.bytes, base = attribute.start, end = base + attribute.length
        guard attribute.nonResident, attribute.length >= 0x40 else {
            throw FormatError(.ntfsMFTRecord, at: record.offset + UInt64(base), "attribute is not non-resident")
        }
        dataSize = bytes.le64(base + 0x30)
        var position = base + Int(bytes.le16(base + 0x20))
        var lcn: Int64 = 0
        runs = []
        func fail(_ reason: String) -> FormatError {
            FormatError(.ntfsMFTRecord, at: record.offset + UInt64(min(position, end)), reason)
        }
        while position < end, bytes[position] != 0 {
            guard runs.count < Self.maxRuns else { throw fail("more than \(Self.maxRuns) data runs") }
            let header = bytes[position]
            let lengthBytes = Int(header & 0x0F), offsetBytes = Int(header >> 4)
            guard lengthBytes >= 1, lengthBytes <= 8, offsetBytes <= 8,
                  position + 1 + lengthBytes + offsetBytes <= end else { throw fail("malformed data run header \(hex(UInt64(header)))") }
            var length: UInt64 = 0
            for i in (0..<lengthBytes).reversed() { length = length << 8 | UInt64(bytes[position + 1 + i]) }
            var delta: Int64 = 0
            if offsetBytes > 0 {
                var raw: UInt64 = 0
                for i in (0..<offsetBytes).reversed() { raw = raw << 8 | UInt64(bytes[position + 1 + lengthBytes + i]) }
                let shift = UInt64(64 - 8 * offsetBytes)
                delta = Int64(bitPattern: raw << shift) >> Int64(shift)  // sign-extend
            }
            guard length > 0, length < 1 << 48 else { throw fail("data run of \(length) clusters") }
            if offsetBytes == 0 {
                runs.append(Run(lcn: nil, length: length))
            } else {
                let (next, overflow) = lcn.addingReportingOverflow(delta)
                guard !overflow, next >= 0 else { throw fail("data run starts at a negative cluster") }
                lcn = next
                runs.append(Run(lcn: UInt64(next), length: length))
            }
            position += 1 + lengthBytes + offsetBytes
        }
    }

    /// The logical cluster holding virtual cluster `vcn`, and how many clusters follow it in the same
    /// run; nil when sparse or past the runs.
    func locate(_ vcn: UInt64) -> (lcn: UInt64?, remaining: UInt64)? {
        var first: UInt64 = 0
        for run in runs {
            if vcn < first + run.length {
                return (run.lcn.map { $0 + (vcn - first) }, first + run.length - vcn)
            }
            first += run.length
        }
        return nil
    }
}
