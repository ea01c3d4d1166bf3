import Testing
@testable import Analysis

/// The per-cluster owner set ids start one byte wide and widen (to 2, then 4 bytes) when a
/// larger id is stored, keeping every id stored before.
@Suite struct OwnerIDTableTests {
    @Test func startsNarrowAndReadsZero() {
        let table = OwnerIDTable(count: 1000)
        #expect(table.width == 1)
        #expect((0..<1000).allSatisfy { table[$0] == 0 })
    }

    @Test func widensStepByStepKeepingEarlierIDs() {
        let n = 70_000
        let table = OwnerIDTable(count: n)
        for i in 0..<n { table.set(i, UInt32(i % 256)) }
        #expect(table.width == 1)
        table.set(5, 300)
        #expect(table.width == 2)
        table.set(6, 65_535)
        #expect(table.width == 2)
        table.set(n - 1, 65_536)
        #expect(table.width == 4)
        table.set(7, UInt32.max)
        for i in 0..<n {
            let expected: UInt32 = switch i {
            case 5: 300
            case 6: 65_535
            case 7: UInt32.max
            case n - 1: 65_536
            default: UInt32(i % 256)
            }
            #expect(table[i] == expected, "cluster \(i)")
            if table[i] != expected { break }
        }
    }

    /// `reserve` then `store` is what the L2 pass does for a table's owner set.
    @Test func reserveThenStore() {
        let table = OwnerIDTable(count: 10)
        table.reserve(1_000)
        #expect(table.width == 2)
        for i in 0..<10 { table.store(i, 1_000 + UInt32(i)) }
        #expect((0..<10).allSatisfy { table[$0] == 1_000 + UInt32($0) })
    }
}
