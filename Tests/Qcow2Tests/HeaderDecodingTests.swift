import Testing
@testable import Qcow2

@Suite struct HeaderDecodingTests {
    @Test func decodesVersion2Fixture() throws {
        let image = try Fixtures.open("v2.qcow2")
        let h = image.header
        #expect(h.version == 2)
        #expect(h.headerLength == 72)
        #expect(h.clusterBits == 16)
        #expect(h.size == 4 << 20)
        #expect(h.refcountOrder == 4)
        #expect(h.nbSnapshots == 1)
        #expect(h.fields.count == 13)
        #expect(h.fields.last?.name == "snapshots_offset")
        #expect(image.findings.filter { $0.severity == .error }.isEmpty)
    }

    @Test func decodesVersion3FixtureWithOffsets() throws {
        let h = try Fixtures.open("v3.qcow2").header
        #expect(h.version == 3)
        #expect(h.headerLength == 112)
        #expect(h.compression == .deflate)
        let byName = Dictionary(uniqueKeysWithValues: h.fields.map { ($0.name, $0) })
        #expect(byName["l1_table_offset"]?.offset == 40)
        #expect(byName["refcount_order"]?.offset == 96)
        #expect(byName["compression_type"]?.offset == 104)
        #expect(byName["l1_table_offset"]?.value == h.l1TableOffset)
    }

    @Test(arguments: [("c512.qcow2", UInt32(9)), ("c4k.qcow2", 12), ("v3.qcow2", 16), ("c2m.qcow2", 21)])
    func clusterSizes(name: String, bits: UInt32) throws {
        let h = try Fixtures.open(name).header
        #expect(h.clusterBits == bits)
        #expect(h.clusterSize == 1 << UInt64(bits))
        #expect(h.l2Entries == h.clusterSize / 8)
    }

    @Test func featureBitsAreNamed() throws {
        let dirty = try Fixtures.open("corrupt-dirty.qcow2")
        #expect(dirty.header.isDirty)
        #expect(dirty.features.contains { $0.kind == .incompatible && $0.bit == 0 && $0.name == "dirty bit" && $0.isKnown })
        let corrupt = try Fixtures.open("corrupt-flag.qcow2")
        #expect(corrupt.header.isCorrupt)
        let lazy = try Fixtures.open("lazy.qcow2")
        #expect(lazy.header.hasLazyRefcounts)
        #expect(lazy.features.contains { $0.kind == .compatible && $0.name == "lazy refcounts" })
        let zstd = try Fixtures.open("zstd.qcow2")
        #expect(zstd.header.compression == .zstd)
        #expect(zstd.header.incompatibleFeatures & IncompatibleFeature.compressionType.mask != 0)
        let ext = try Fixtures.open("extl2.qcow2")
        #expect(ext.header.hasExtendedL2)
        #expect(ext.header.l2EntrySize == 16)
        #expect(ext.header.subclusterSize == 2048)
    }

    @Test func unknownFeatureBitsAreKeptAndFlagged() throws {
        var s = SyntheticImage()
        s.incompatible = 1 << 40
        s.compatible = 1 << 7
        let image = try s.open()
        let bits = image.features
        #expect(bits.contains { $0.kind == .incompatible && $0.bit == 40 && !$0.isKnown })
        #expect(bits.contains { $0.kind == .compatible && $0.bit == 7 && !$0.isKnown })
        #expect(image.findings.contains { $0.offset == 72 && $0.severity == .error })
    }

    @Test func shortFileIsAnErrorAtOffsetZero() throws {
        let path = try writeTemporaryFile([0x51, 0x46, 0x49, 0xFB, 0, 0, 0, 3])
        #expect(throws: FormatError.self) { try Qcow2Image(path: path) }
        do { _ = try Qcow2Image(path: path) } catch { #expect(error.structure == .header && error.offset == 0) }
    }

    @Test func unknownVersionNamesOffsetFour() throws {
        var s = SyntheticImage()
        s.version = 4
        do {
            _ = try s.open()
            Issue.record("version 4 accepted")
        } catch let error as FormatError { #expect(error.offset == 4) }
    }
}
