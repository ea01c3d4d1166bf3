/// Runs of clear bits in an LSB-first allocation bitmap (ext block bitmaps, NTFS $Bitmap): bit n is
/// byte n>>3, mask 1<<(n&7), and a set bit means in use.
///
/// Decoded a 64-bit word at a time: all-set and all-clear words cost one comparison, and mixed words
/// jump between runs with `trailingZeroBitCount`, so a bitmap is never expanded per bit.
enum BitmapRuns {
    /// Calls `body(start, length)` for each run of clear bits among the first `bits` bits of `data`
    /// (bits past the end of `data` are not looked at), in increasing order.
    static func forEachClearRun(in data: UnsafeRawBufferPointer, bits: Int, _ body: (Int, Int) -> Void) {
        let bits = max(0, min(bits, data.count * 8))
        var runStart = -1
        var position = 0
        while position < bits {
            let width = min(64, bits - position)
            let word = Self.word(data, at: position / 8, width: width)
            defer { position += width }
            if word == .max {
                if runStart >= 0 { body(runStart, position - runStart); runStart = -1 }
                continue
            }
            if word == 0 {
                if runStart < 0 { runStart = position }
                continue
            }
            var bit = 0
            while bit < width {
                if runStart >= 0 {
                    let ones = word & (UInt64.max << UInt64(bit))
                    if ones == 0 { break }
                    bit = ones.trailingZeroBitCount
                    body(runStart, position + bit - runStart)
                    runStart = -1
                } else {
                    let clear = ~word & (UInt64.max << UInt64(bit))
                    if clear == 0 { break }
                    bit = clear.trailingZeroBitCount
                    runStart = position + bit
                }
            }
        }
        if runStart >= 0 { body(runStart, bits - runStart) }
    }

    /// The 64 bits at byte `offset`; for a last word narrower than 64 bits the missing high bits read
    /// as set (in use), so they never start or extend a free run.
    @inline(__always)
    private static func word(_ data: UnsafeRawBufferPointer, at offset: Int, width: Int) -> UInt64 {
        if width == 64 { return UInt64(littleEndian: data.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        var word: UInt64 = 0
        for b in 0..<(width + 7) / 8 { word |= UInt64(data[offset + b]) << UInt64(b * 8) }
        return word | UInt64.max << UInt64(width)
    }
}
