import Testing
@testable import Qcow2

/// Headers no QEMU would write: each must give a clear error or finding at the right offset, never
/// a crash, a hang or a huge allocation.
@Suite struct HostileHeaderTests {
    @Test func hugeL1SizeIsRefusedBeforeAllocating() throws {
        var s = SyntheticImage()
        s.l1Size = UInt32.max
        let image = try s.open()
        #expect(image.findings.contains { $0.offset == 40 && $0.message.contains("limit") })
        #expect(throws: FormatError.self) { try image.readL1Table() }
    }

    @Test(arguments: [UInt32(0), 8, 22, 63, 64, UInt32.max])
    func clusterBitsOutOfRange(bits: UInt32) throws {
        var s = SyntheticImage()
        s.clusterBits = bits
        let image = try s.open()
        #expect(!image.header.hasUsableGeometry)
        #expect(image.findings.contains { $0.offset == 20 && $0.severity == .error })
        #expect(image.extensions.isEmpty)
        #expect(image.readSnapshots().snapshots.isEmpty)
        #expect(image.readBitmapDirectory().bitmaps.isEmpty)
    }

    @Test func tablesPastEndOfFile() throws {
        var s = SyntheticImage()
        s.l1TableOffset = 1 << 40
        s.refcountTableOffset = 1 << 41
        s.nbSnapshots = 3
        s.snapshotsOffset = 1 << 42
        let image = try s.open()
        #expect(image.findings.contains { $0.offset == 40 })
        #expect(image.findings.contains { $0.offset == 48 })
        let (snapshots, findings) = image.readSnapshots()
        #expect(snapshots.isEmpty)
        #expect(findings.contains { $0.structure == .snapshotTable })
    }

    @Test func extensionOverrunningTheClusterIsAFinding() throws {
        var s = SyntheticImage()
        s.clusterBits = 9
        s.l1TableOffset = 3 << 9
        s.refcountTableOffset = 1 << 9
        s.extensions = [(0xE279_2ACA, Array("qcow2".utf8))]
        // A second extension claiming 4000 bytes inside a 512-byte cluster.
        s.patches = [(112 + 16, SyntheticImage.be(UInt32(0x1234_5678)) + SyntheticImage.be(UInt32(4000)))]
        let image = try s.open()
        #expect(image.extensions.count == 1)
        #expect(image.backingFormat == "qcow2")
        #expect(image.findings.contains { $0.structure == .headerExtension && $0.offset == 128 && $0.message.contains("overruns") })
    }

    @Test func backingNameTooLong() throws {
        var s = SyntheticImage()
        s.backingName = Array("base.qcow2".utf8)
        s.backingSizeOverride = 5000
        let image = try s.open()
        #expect(image.backingFileName == nil)
        #expect(image.findings.contains { $0.offset == 16 && $0.message.contains("1023") })
        // The chain never follows what it could not read.
        #expect(BackingChain.open(top: image).layers.count == 1)
    }

    @Test func backingNamePastEndOfFile() throws {
        var s = SyntheticImage()
        s.backingName = Array("x".utf8)
        s.patches = [(8, SyntheticImage.be(UInt64(65000))), (16, SyntheticImage.be(UInt32(1000)))]
        s.clusters = 1
        let image = try s.open()
        #expect(image.findings.contains { $0.structure == .backingFileName || $0.offset == 8 })
    }

    @Test func refcountOrderAndCompressionOutOfRange() throws {
        var s = SyntheticImage()
        s.refcountOrder = 7
        s.compressionType = 9
        let image = try s.open()
        #expect(image.findings.contains { $0.offset == 96 })
        #expect(image.findings.contains { $0.offset == 104 })
        #expect(image.clusterDecompressor == nil)
    }

    @Test func snapshotCountBeyondLimit() throws {
        var s = SyntheticImage()
        s.nbSnapshots = UInt32.max
        s.snapshotsOffset = 2 << 16
        let image = try s.open()
        let (snapshots, findings) = image.readSnapshots()
        #expect(snapshots.isEmpty)
        #expect(findings.contains { $0.message.contains("limit") })
    }

    @Test func snapshotExtraDataTooLarge() throws {
        var s = SyntheticImage()
        s.nbSnapshots = 1
        s.snapshotsOffset = 2 << 16
        // Entry: l1 offset, l1 size, id size 1, name size 1, ..., extra data size 5000 (bytes 36-39).
        s.patches = [((2 << 16) + 12, [0, 1, 0, 1]), ((2 << 16) + 36, SyntheticImage.be(UInt32(5000)))]
        let (snapshots, findings) = try s.open().readSnapshots()
        #expect(snapshots.isEmpty)
        #expect(findings.contains { $0.offset == (2 << 16) + 36 })
    }

    @Test func bitmapExtensionWithHugeDirectory() throws {
        var s = SyntheticImage()
        s.autoclear = 1
        s.extensions = [(0x2385_2875, SyntheticImage.be(UInt32(3)) + SyntheticImage.be(UInt32(0))
                         + SyntheticImage.be(UInt64(1 << 40)) + SyntheticImage.be(UInt64(2 << 16)))]
        let (bitmaps, findings) = try s.open().readBitmapDirectory()
        #expect(bitmaps.isEmpty)
        #expect(findings.contains { $0.structure == .bitmapDirectory && $0.message.contains("64 MiB") })
    }

    @Test func luksPointerPastEndOfFile() throws {
        var s = SyntheticImage()
        s.cryptMethod = 2
        s.extensions = [(0x0537_BE77, SyntheticImage.be(UInt64(1 << 30)) + SyntheticImage.be(UInt64(2 << 20)))]
        let (luks, findings) = try s.open().readLUKSHeader()
        #expect(luks == nil)
        #expect(findings.contains { $0.structure == .cryptoHeader && $0.message.contains("past the end") })
    }

    @Test func luksWithoutPointerAndPointerWithoutLUKS() throws {
        var s = SyntheticImage()
        s.cryptMethod = 2
        #expect(try s.open().readLUKSHeader().findings.contains { $0.offset == 32 })
        s.cryptMethod = 0
        s.extensions = [(0x0537_BE77, SyntheticImage.be(UInt64(2 << 16)) + SyntheticImage.be(UInt64(4096)))]
        #expect(try s.open().readLUKSHeader().findings.contains { $0.structure == .headerExtension })
    }

    @Test func randomBytesNeverCrash() throws {
        var generator = SystemRandomNumberGenerator()
        var base = SyntheticImage()
        base.clusterBits = 12
        base.l1TableOffset = 3 << 12
        base.refcountTableOffset = 1 << 12
        for _ in 0..<150 {
            var bytes = base.bytes()
            for _ in 0..<16 {
                let at = Int.random(in: 4..<512, using: &generator)
                bytes[at] = UInt8.random(in: 0...255, using: &generator)
            }
            guard let image = try? Qcow2Image(path: try writeTemporaryFile(bytes)) else { continue }
            _ = image.readSnapshots()
            _ = image.readBitmapDirectory()
            _ = image.readLUKSHeader()
            _ = BackingChain.open(top: image)
            _ = image.openDataFile()
        }
    }
}
