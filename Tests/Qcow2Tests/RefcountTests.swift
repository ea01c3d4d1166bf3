import Testing
@testable import Qcow2

@Suite struct RefcountTests {
    /// Every width 1..64 (refcount_order 0-6): sub-byte widths LSB-first, wider ones big-endian.
    @Test(arguments: UInt32(0)...6)
    func widths(order: UInt32) {
        let bits = 1 << Int(order)
        let entries = 64
        var block = [UInt8](repeating: 0, count: entries * bits / 8)
        let maximum = RefcountBlock.maxRefcount(order: order)
        func value(_ i: Int) -> UInt64 { UInt64(i * 2654435761 & 0x7FFF_FFFF) & maximum }
        for i in 0..<entries {
            let v = value(i)
            if bits < 8 {
                block[i * bits / 8] |= UInt8(v) << UInt8(i * bits % 8)
            } else {
                for b in 0..<(bits / 8) { block[i * bits / 8 + b] = UInt8(truncatingIfNeeded: v >> UInt64(bits - 8 - 8 * b)) }
            }
        }
        block.withUnsafeBytes { buffer in
            for i in 0..<entries { #expect(RefcountBlock.refcount(in: buffer, index: i, order: order) == value(i)) }
        }
        #expect(maximum == (order == 6 ? UInt64.max : (1 << UInt64(bits)) - 1))
    }

    /// The fixtures' first host cluster (the header) has refcount 1 at every width.
    @Test(arguments: [("rc1.qcow2", UInt32(0)), ("rc8.qcow2", 3), ("v3.qcow2", 4), ("rc64.qcow2", 6)])
    func headerClusterRefcountIsOne(name: String, order: UInt32) throws {
        let image = try Fixtures.open(name)
        #expect(image.header.refcountOrder == order)
        let table = try image.readRefcountTable()
        let blockOffset = RefcountTableEntry(raw: table[0]).blockOffset
        let block = try image.file.readBytes(Int(image.header.clusterSize), at: blockOffset, for: .refcountBlock)
        block.withUnsafeBytes { #expect(RefcountBlock.refcount(in: $0, index: 0, order: order) == 1) }
    }

    /// rc8/rc64 hold a snapshot taken after data was written: data clusters shared by the
    /// snapshot and the active L1 have refcount 2.
    @Test(arguments: ["rc8.qcow2", "rc64.qcow2"])
    func sharedClustersHaveRefcountTwo(name: String) throws {
        let image = try Fixtures.open(name)
        let order = image.header.refcountOrder
        let entry = try #require(try Fixtures.l2Entry(image, guestOffset: 2 << 20))
        let cluster = entry.hostOffset >> UInt64(image.header.clusterBits)
        let table = try image.readRefcountTable()
        let perBlock = image.header.refcountBlockEntries
        let blockOffset = RefcountTableEntry(raw: table[Int(cluster / perBlock)]).blockOffset
        let block = try image.file.readBytes(Int(image.header.clusterSize), at: blockOffset, for: .refcountBlock)
        block.withUnsafeBytes { #expect(RefcountBlock.refcount(in: $0, index: Int(cluster % perBlock), order: order) == 2) }
        #expect(!entry.isCopied)
    }
}
