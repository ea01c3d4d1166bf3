import Testing
@testable import Qcow2

@Suite struct L2EntryTests {
    @Test func standardTypes() {
        let normal = L2Entry(raw: Qcow2.copiedFlag | 0x50000)
        #expect(normal.clusterType(extendedL2: false, externalDataFile: false) == .normal)
        #expect(normal.hostOffset == 0x50000)
        #expect(L2Entry(raw: 0).clusterType(extendedL2: false, externalDataFile: false) == .unallocated)
        #expect(L2Entry(raw: 1).clusterType(extendedL2: false, externalDataFile: false) == .zeroPlain)
        #expect(L2Entry(raw: 0x70001).clusterType(extendedL2: false, externalDataFile: false) == .zeroAllocated)
        // External data file: offset 0 with COPIED is guest cluster 0, a normal cluster.
        #expect(L2Entry(raw: Qcow2.copiedFlag).clusterType(extendedL2: false, externalDataFile: true) == .normal)
        #expect(L2Entry(raw: 0x3E00).reservedBits == 0x3E00 & Qcow2.l2StandardReservedMask)
    }

    /// x = 62 - (cluster_bits - 8) offset bits, then the additional sector count (spec,
    /// "Compressed Clusters Descriptor"), checked on entries QEMU wrote.
    @Test func compressedSplitFromFixtures() throws {
        let zlib = try Fixtures.open("zlib.qcow2")
        let entry = try #require(try Fixtures.l2Entry(zlib, guestOffset: 0x10000))
        #expect(entry.raw == 0x4480_0000_0005_004F)
        #expect(entry.clusterType(extendedL2: false, externalDataFile: false) == .compressed)
        let extent = entry.compressedExtent(clusterBits: 16)
        #expect(extent.offset == 0x5004F)
        #expect(extent.sectors == 0x12 + 1)
        #expect(extent.length == 19 * 512 - 0x4F)
        #expect(extent.clusterRange(clusterBits: 16) == 5...5)

        let c2m = try Fixtures.open("c2m.qcow2")
        let big = try #require(try Fixtures.l2Entry(c2m, guestOffset: 0x400000)).compressedExtent(clusterBits: 21)
        #expect(big.offset == 0xC00000)
        // 62 - 13 = 49 offset bits, 13 bits of additional sectors.
        #expect(big.sectors == (0x447E_0000_00C0_0000 >> 49 & 0x1FFF) + 1)
    }

    @Test(arguments: [UInt32(9), 12, 16, 21])
    func compressedSplitSynthetic(bits: UInt32) {
        let shift = 62 - (UInt64(bits) - 8)
        let sizeMask: UInt64 = (1 << (UInt64(bits) - 8)) - 1
        let raw = Qcow2.compressedFlag | (sizeMask << shift) | 0x1234_5601
        let extent = L2Entry(raw: raw).compressedExtent(clusterBits: bits)
        #expect(extent.offset == 0x1234_5601 & ((1 << shift) - 1))
        #expect(extent.sectors == sizeMask + 1)
        // The largest descriptor covers at most twice the cluster size.
        #expect(extent.length <= 2 << UInt64(bits))
    }

    /// Extended L2 (spec, "Extended L2 Entries"): bits 0-31 allocation, 32-63 zero, per subcluster.
    @Test func extendedSubclusterTypesFromFixture() throws {
        let image = try Fixtures.open("extl2.qcow2")
        let first = try #require(try Fixtures.l2Entry(image, guestOffset: 0))
        #expect(first.bitmap == 0x19) // subclusters 0, 3, 4 written (0-2k, 6k-10k)
        #expect(first.subclusterType(0, externalDataFile: false) == .normal)
        #expect(first.subclusterType(1, externalDataFile: false) == .unallocatedAllocated)
        #expect(first.subclusterType(3, externalDataFile: false) == .normal)
        let second = try #require(try Fixtures.l2Entry(image, guestOffset: 0x10000))
        #expect(second.subclusterType(4, externalDataFile: false) == .zeroAllocated) // write -z 72k 4k
        #expect(second.subclusterType(0, externalDataFile: false) == .normal)
        let unallocatedZero = try #require(try Fixtures.l2Entry(image, guestOffset: 0x40000))
        #expect(unallocatedZero.raw == 0)
        #expect(unallocatedZero.subclusterType(0, externalDataFile: false) == .zeroPlain)
        #expect(unallocatedZero.subclusterType(4, externalDataFile: false) == .unallocated)
        let allZero = try #require(try Fixtures.l2Entry(image, guestOffset: 0x100000))
        for i in 0..<32 { #expect(allZero.subclusterType(i, externalDataFile: false) == .zeroAllocated) }
    }

    @Test func extendedInvalidCombinations() {
        // Allocated and zero at once.
        let both = L2Entry(raw: 0x50000, bitmap: 1 | 1 << 32)
        #expect(both.subclusterType(0, externalDataFile: false) == .invalid)
        // Allocation bits without a host cluster.
        #expect(L2Entry(raw: 0, bitmap: 1).subclusterType(0, externalDataFile: false) == .invalid)
        // A compressed cluster must have an all-zero bitmap.
        #expect(L2Entry(raw: Qcow2.compressedFlag | 0x50000, bitmap: 4).subclusterType(0, externalDataFile: false) == .invalid)
        #expect(L2Entry(raw: Qcow2.compressedFlag | 0x50000).subclusterType(5, externalDataFile: false) == .compressed)
    }
}
