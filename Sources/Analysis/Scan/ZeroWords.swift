extension UnsafeRawBufferPointer {
    /// Whether the `words` 8-byte words from byte `offset` are all 0: one test for the run (the
    /// words ORed together), no branch per word. The scan, the mask maker and frag's direct count
    /// skip empty L2 entries eight at a time with it; the caller keeps the words in bounds.
    @inline(__always)
    func wordsAreZero(at offset: Int, count words: Int) -> Bool {
        var any: UInt64 = 0
        for k in 0..<words { any |= loadUnaligned(fromByteOffset: offset &+ k &* 8, as: UInt64.self) }
        return any == 0
    }
}
