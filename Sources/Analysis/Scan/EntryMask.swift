/// Which 8-byte words of a run of tables are not zero: bit `j % 64` of word `j / 64` is set when
/// word `j` is not 0.
///
/// A 4 KiB-cluster image's L2 tables are mostly empty entries (the 64 GiB benchmark image: about
/// a dozen used entries in each of its 512-entry tables). The ``TableReader`` thread makes these
/// masks right after its `pread`, while the bytes are still in its core's cache, and the decoding
/// thread jumps from used entry to used entry (``next(after:limit:)``) instead of loading every
/// empty one a second time from the other core's cache (issue 15: a fifth of the scan thread's
/// time was spent finding the used entries).
enum EntryMask {
    /// Bytes of table one mask word covers.
    static let bytesPerWord = 512

    /// Fills `masks` for `bytes` (whose count is a multiple of ``bytesPerWord``); false when it
    /// gave up because the bytes are mostly used: once 4 KiB are seen, more than half of their
    /// 64-byte groups holding a used word. A dense table (preallocated, written in order) gains
    /// nothing from a mask, the decoder goes through its entries anyway, and marking every word
    /// of it costs the reader a tenth of its copy (1 TiB image of 64 KiB clusters).
    static func fill(_ masks: UnsafeMutablePointer<UInt64>, from bytes: UnsafeRawBufferPointer) -> Bool {
        var used = 0
        for w in 0..<(bytes.count / bytesPerWord) {
            let base = w &* bytesPerWord
            var m: UInt64 = 0
            // Eight words at a time: one test for eight empty ones, the usual case.
            for g in 0..<8 {
                let at = base &+ g &* 64
                guard !bytes.wordsAreZero(at: at, count: 8) else { continue }
                used &+= 1
                for k in 0..<8 where bytes.loadUnaligned(fromByteOffset: at &+ k &* 8, as: UInt64.self) != 0 {
                    m |= 1 << UInt64(g &* 8 &+ k)
                }
            }
            masks[w] = m
            if w >= 7, used &* 2 > (w &+ 1) &* 8 { return false }
        }
        return true
    }

    /// The first set bit at or after `i` and below `limit` (`limit` when there is none). `masks`
    /// covers at least `limit` bits.
    @inline(__always)
    static func next(_ masks: UnsafePointer<UInt64>, from i: Int, limit: Int) -> Int {
        guard i < limit else { return limit }
        var w = i &>> 6
        var bits = masks[w] & (~0 &<< UInt64(i & 63))
        let words = (limit &+ 63) &>> 6
        while bits == 0 {
            w &+= 1
            guard w < words else { return limit }
            bits = masks[w]
        }
        return min(w &<< 6 | bits.trailingZeroBitCount, limit)
    }
}
