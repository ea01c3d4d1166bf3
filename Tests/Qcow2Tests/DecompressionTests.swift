import Testing
@testable import Qcow2

@Suite struct DecompressionTests {
    /// zlib.qcow2: guest 0 and 1M were written compressed with -P 0x91 / 0x93 (make-fixtures.sh).
    @Test(arguments: [("zlib.qcow2", UInt64(0), UInt8(0x91)), ("zlib.qcow2", 0x100000, 0x93), ("zstd.qcow2", 0, 0xA1)])
    func patternClusters(name: String, guest: UInt64, pattern: UInt8) throws {
        let image = try Fixtures.open(name)
        let entry = try #require(try Fixtures.l2Entry(image, guestOffset: guest))
        #expect(entry.isCompressed)
        let data = try image.readCompressedCluster(entry)
        #expect(data.count == 65536)
        #expect(data.allSatisfy { $0 == pattern })
    }

    /// Text clusters compress to several sectors; zlib and zstd must decode the same text
    /// (text1.pattern at guest 64 KiB in both images).
    @Test func textClustersAgreeAcrossCodecs() throws {
        let zlib = try Fixtures.open("zlib.qcow2")
        let zstd = try Fixtures.open("zstd.qcow2")
        let a = try zlib.readCompressedCluster(try #require(try Fixtures.l2Entry(zlib, guestOffset: 0x10000)))
        let b = try zstd.readCompressedCluster(try #require(try Fixtures.l2Entry(zstd, guestOffset: 0x10000)))
        #expect(a == b)
        #expect(String(decoding: a.prefix(5), as: UTF8.self).allSatisfy { $0.isLetter || $0.isNumber || $0 == " " })
        let c = try zlib.readCompressedCluster(try #require(try Fixtures.l2Entry(zlib, guestOffset: 0x20000)))
        #expect(c != a) // text2 differs from text1
    }

    /// c2m.qcow2: a 2 MiB compressed cluster that is the last thing in the file, whose descriptor's
    /// last sector runs past end of file. The text pattern repeats every 64 KiB.
    @Test func twoMebibyteClusterEndingAtEOF() throws {
        let image = try Fixtures.open("c2m.qcow2")
        let entry = try #require(try Fixtures.l2Entry(image, guestOffset: 0x400000))
        let extent = entry.compressedExtent(clusterBits: 21)
        #expect(extent.offset + extent.length > image.file.size)
        let data = try image.readCompressedCluster(extent)
        #expect(data.count == 2 << 20)
        let zlib = try Fixtures.open("zlib.qcow2")
        let text1 = try zlib.readCompressedCluster(try #require(try Fixtures.l2Entry(zlib, guestOffset: 0x10000)))
        #expect(Array(data.prefix(65536)) == text1)
        #expect(Array(data.suffix(65536)) == text1)
    }

    // MARK: hand-built streams

    /// Raw deflate with stored blocks (RFC 1951, BTYPE 00): header byte, LEN, NLEN, bytes.
    static func storedDeflate(_ data: [UInt8], final: Bool = true) -> [UInt8] {
        let len = UInt16(data.count)
        return [final ? 1 : 0, UInt8(len & 0xFF), UInt8(len >> 8), UInt8(~len & 0xFF), UInt8(~len >> 8)] + data
    }

    /// A zstd frame (RFC 8878) with a single-segment header and one raw block.
    static func rawZstdFrame(_ data: [UInt8], declaredSize: Int? = nil) -> [UInt8] {
        let size = declaredSize ?? data.count
        var frame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
        frame += [0x60] // FCS field 2 bytes (size - 256), single segment
        frame += [UInt8((size - 256) & 0xFF), UInt8((size - 256) >> 8)]
        let blockHeader = UInt32(1) | UInt32(data.count) << 3 // last block, raw
        frame += [UInt8(blockHeader & 0xFF), UInt8(blockHeader >> 8 & 0xFF), UInt8(blockHeader >> 16 & 0xFF)]
        return frame + data
    }

    static let cluster: [UInt8] = (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 7) }

    @Test func zlibExactStreamAndTrailingSectorBytes() throws {
        let d = ClusterDecompressor(compression: .deflate, clusterSize: 512)
        #expect(try d.decompress(Self.storedDeflate(Self.cluster), at: 0) == Self.cluster)
        // Sector padding after the stream is ignored.
        #expect(try d.decompress(Self.storedDeflate(Self.cluster) + [UInt8](repeating: 0xEE, count: 300), at: 0) == Self.cluster)
        // Non-final block filling the cluster: inflate stops with Z_BUF_ERROR and a full buffer, which QEMU accepts.
        #expect(try d.decompress(Self.storedDeflate(Self.cluster, final: false), at: 0) == Self.cluster)
    }

    @Test func zlibFailures() {
        let d = ClusterDecompressor(compression: .deflate, clusterSize: 512)
        // Too short: the cluster is not filled.
        #expect(throws: FormatError.self) { try d.decompress(Self.storedDeflate(Array(Self.cluster.prefix(100))), at: 0x1234) }
        // Garbage (BTYPE 11 is reserved).
        #expect(throws: FormatError.self) { try d.decompress([0x07, 0, 0, 0], at: 0) }
        #expect(throws: FormatError.self) { try d.decompress([], at: 0) }
        do { _ = try d.decompress([0x07], at: 0x1234) } catch {
            #expect(error.structure == .compressedCluster && error.offset == 0x1234)
        }
    }

    @Test func zstdExactMultiFrameAndFailures() throws {
        let d = ClusterDecompressor(compression: .zstd, clusterSize: 512)
        #expect(try d.decompress(Self.rawZstdFrame(Self.cluster), at: 0) == Self.cluster)
        #expect(try d.decompress(Self.rawZstdFrame(Self.cluster) + [0, 0, 0, 0, 0], at: 0) == Self.cluster)
        // Two frames of 256 bytes make one cluster (QEMU decodes frame after frame).
        let two = Self.rawZstdFrame(Array(Self.cluster.prefix(256))) + Self.rawZstdFrame(Array(Self.cluster.suffix(256)))
        #expect(try d.decompress(two, at: 0) == Self.cluster)
        // A frame that ends early.
        #expect(throws: FormatError.self) { try d.decompress(Self.rawZstdFrame(Array(Self.cluster.prefix(300))), at: 0) }
        // Input cut in the middle of the frame.
        #expect(throws: FormatError.self) { try d.decompress(Array(Self.rawZstdFrame(Self.cluster).prefix(200)), at: 0) }
        // More data than one cluster.
        #expect(throws: FormatError.self) { try d.decompress(Self.rawZstdFrame(Self.cluster + Self.cluster), at: 0) }
        #expect(throws: FormatError.self) { try d.decompress([1, 2, 3, 4, 5, 6, 7, 8], at: 0) }
        #expect(throws: FormatError.self) { try d.decompress([], at: 0) }
    }

    @Test func clusterSizeIsClamped() {
        #expect(ClusterDecompressor(compression: .zstd, clusterSize: 1 << 40).clusterSize == 2 << 20)
        #expect(ClusterDecompressor(compression: .zstd, clusterSize: 0).clusterSize == 512)
    }

    @Test func extentPastEndOfFile() throws {
        let image = try Fixtures.open("zlib.qcow2")
        #expect(throws: FormatError.self) {
            try image.readCompressedCluster(CompressedExtent(offset: image.file.size + 10, sectors: 1))
        }
        #expect(throws: FormatError.self) { try image.readCompressedCluster(CompressedExtent(offset: 512, sectors: 1000)) }
    }
}
