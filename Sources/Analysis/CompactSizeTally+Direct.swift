import Qcow2

/// The count of ``CompactSizeTally`` without the guest-map walk, for the usual image: one layer of
/// standard (not extended) L2 entries, no data file, not metadata-preallocated, power-of-two
/// destination cluster sizes.
///
/// On such an image the walk reports a guest cluster as data that is not zero (what the measure
/// counts) exactly when its entry is compressed, or a normal entry with a host offset, or has the
/// zero flag before version 3 or with a misaligned host offset, which QEMU then refuses and the
/// walk reports as invalid data.
/// Unallocated entries read through to nothing (zero, not present) and zero entries of version 3
/// are zero. So the destination clusters a table touches follow from the indexes of those
/// entries alone, and the walk, with its runs, closure and per-piece arithmetic (a tenth of
/// `frag`'s time on a 4 KiB-cluster image of 32 Ki sparse tables), is not needed (issue 15).
struct DirectCompactCount {
    let clusterBits: UInt64
    /// The zero flag makes an entry count (version 2: QEMU refuses it, the walk calls it data).
    let zeroFlagCounts: Bool
    /// Per destination cluster size, its log2.
    let sizeBits: [UInt64]
    /// The indexes of the counted entries of the table being counted (one table's entries).
    private let counted: UnsafeMutablePointer<UInt32>
    private let capacity: Int

    /// Nil when the image or the sizes are not what the direct count covers.
    init?(image: Qcow2Image, layer: GuestMapLayer, clusterSizes: [UInt64]) {
        let header = image.header
        guard !header.hasExtendedL2, !layer.hasDataFile, !layer.metadataPreallocated,
              clusterSizes.allSatisfy({ $0 > 0 && $0 & ($0 - 1) == 0 }) else { return nil }
        clusterBits = UInt64(header.clusterBits)
        zeroFlagCounts = header.version < 3
        sizeBits = clusterSizes.map { UInt64($0.trailingZeroBitCount) }
        capacity = Int(header.l2Entries)
        counted = .allocate(capacity: max(capacity, 1))
    }

    func release() { counted.deallocate() }

    /// Sets `tallies[k]` to the destination clusters of size `2^sizeBits[k]` that the data of the
    /// table's guest range `[0, length)` (relative to the table's first entry) touches. `length`
    /// is at most the table's span, so entries past it are not looked at. `mask`, the table's
    /// ``EntryMask``, leads straight to the used entries.
    func count(table: UnsafeRawBufferPointer, mask: UnsafePointer<UInt64>?, length: UInt64,
               into tallies: UnsafeMutableBufferPointer<UInt64>) {
        for k in tallies.indices { tallies[k] = 0 }
        guard length > 0 else { return }
        let cs = UInt64(1) << clusterBits
        // Entries the range covers (the last one maybe in part: the end of the disk).
        let entries = min(Int(truncatingIfNeeded: (length &- 1) >> clusterBits) &+ 1, capacity, table.count / 8)
        let lastLength = length &- UInt64(entries &- 1) << clusterBits
        let zeroCounts = zeroFlagCounts
        var m = 0
        var j = 0
        while j < entries {
            if let mask {
                j = EntryMask.next(mask, from: j, limit: entries)
                if j >= entries { break }
            } else if j &+ 8 <= entries, table.wordsAreZero(at: j &* 8, count: 8) {
                // Eight empty entries at a time: a sparse table is mostly these.
                j &+= 8
                continue
            }
            let raw = table.be64(at: j &* 8)
            let host = raw & Qcow2.offsetMask
            // A zero entry keeping a misaligned host cluster is refused too (invalid: data).
            let data = raw & Qcow2.compressedFlag != 0
                || (raw & Qcow2.zeroFlag != 0 ? zeroCounts || host & (cs &- 1) != 0 : host != 0)
            if data {
                counted[m] = UInt32(truncatingIfNeeded: j)
                m &+= 1
            }
            j &+= 1
        }
        guard m > 0 else { return }
        for k in sizeBits.indices {
            let bits = sizeBits[k]
            var clusters: UInt64
            if bits >= clusterBits {
                // Several entries a destination cluster: count the distinct ones.
                let shift = UInt32(bits &- clusterBits)
                clusters = 0
                var last: UInt32 = .max
                for t in 0..<m {
                    let block = counted[t] >> shift
                    if block != last {
                        clusters &+= 1
                        last = block
                    }
                }
            } else {
                // Several destination clusters an entry: all of each, but the part of the last
                // entry past the end of the disk.
                let per = cs >> bits
                clusters = UInt64(m) &* per
                if Int(counted[m &- 1]) == entries &- 1, lastLength < cs {
                    clusters = clusters &- per &+ ((lastLength &+ (UInt64(1) << bits) &- 1) >> bits)
                }
            }
            tallies[k] = clusters
        }
    }
}
