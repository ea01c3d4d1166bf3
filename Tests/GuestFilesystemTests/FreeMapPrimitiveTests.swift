@testable import Guest
import Testing

/// The word-at-a-time bitmap decoder, the range subtraction and the extent builder against
/// bit-by-bit references on random inputs (edge widths included).
struct FreeMapPrimitiveTests {
    /// Clear runs found one bit at a time.
    private func naiveRuns(_ bytes: [UInt8], bits: Int) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        for bit in 0..<min(bits, bytes.count * 8) where bytes[bit >> 3] & (1 << (bit & 7)) == 0 {
            if let last = runs.last, last.upperBound == bit { runs[runs.count - 1] = last.lowerBound..<bit + 1 } else { runs.append(bit..<bit + 1) }
        }
        return runs
    }

    @Test(arguments: [0, 1, 7, 8, 63, 64, 65, 127, 128, 500, 4096, 32768])
    func bitmapRunsMatchBitByBit(_ bits: Int) {
        var generator = SystemRandomNumberGenerator()
        for density in [0, 1, 50, 99, 100] {
            let bytes = (0..<(bits + 7) / 8 + 3).map { _ in
                (0..<8).reduce(UInt8(0)) { b, i in Int.random(in: 0..<100, using: &generator) < density ? b | 1 << i : b }
            }
            var runs: [Range<Int>] = []
            bytes.withUnsafeBytes { raw in BitmapRuns.forEachClearRun(in: raw, bits: bits) { runs.append($0..<$0 + $1) } }
            #expect(runs == naiveRuns(bytes, bits: bits), "bits \(bits) density \(density)")
        }
    }

    @Test func subtractMatchesSetDifference() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var runs: [Range<UInt64>] = []
            var at: UInt64 = 0
            for _ in 0..<Int.random(in: 0...6, using: &generator) {
                at += UInt64.random(in: 0...5, using: &generator)
                let end = at + UInt64.random(in: 1...8, using: &generator)
                runs.append(at..<end)
                at = end + 1
            }
            let used = (0..<Int.random(in: 0...5, using: &generator)).map { _ -> Range<UInt64> in
                let low = UInt64.random(in: 0...60, using: &generator)
                return low..<low + UInt64.random(in: 0...10, using: &generator)
            }.sorted { $0.lowerBound < $1.lowerBound }
            let expected = Set(runs.flatMap { Array($0) }).subtracting(used.flatMap { Array($0) })
            let result = RangeSet.subtract(runs, used)
            #expect(Set(result.flatMap { Array($0) }) == expected)
            #expect(zip(result, result.dropFirst()).allSatisfy { $0.upperBound <= $1.lowerBound && !$0.isEmpty })
        }
    }

    @Test func builderMergesAdjacentRuns() {
        var builder = FreeExtentBuilder(base: 1000, unitSize: 4096)
        builder.add(unit: 2, count: 3)
        builder.add(unit: 5, count: 1)
        builder.add(unit: 9, count: 2)
        builder.add(unit: 11, count: 0)
        #expect(builder.extents == [GuestExtent(start: 1000 + 2 * 4096, length: 4 * 4096), GuestExtent(start: 1000 + 9 * 4096, length: 2 * 4096)])
        #expect(builder.freeUnits == 6)
        #expect(!builder.overflowed)
    }
}
