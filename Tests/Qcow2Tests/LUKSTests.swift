import Testing
@testable import Qcow2

@Suite struct LUKSTests {
    @Test func luksFixture() throws {
        let image = try Fixtures.open("luks.qcow2")
        #expect(image.header.encryption == .luks)
        let (header, findings) = image.readLUKSHeader()
        #expect(findings.isEmpty)
        let luks = try #require(header)
        #expect(luks.hasValidMagic)
        #expect(luks.version == 1)
        #expect(luks.cipherName == "aes")
        #expect(luks.cipherMode == "xts-plain64")
        #expect(luks.hashSpec == "sha256")
        #expect(luks.keyBytes == 64)
        #expect(luks.qemuCipherAlgorithm == "aes-256")
        #expect(luks.qemuCipherMode == "xts")
        #expect(luks.qemuIVGenAlgorithm == "plain64")
        #expect(luks.qemuIVGenHashAlgorithm == nil)
        #expect(luks.qemuHashAlgorithm == "sha256")
        #expect(luks.payloadOffset == 2_068_480)
        #expect(luks.uuid.bytes.count == 36)
        #expect(luks.keySlots.count == 8)
        #expect(luks.keySlots[0].isActive)
        #expect(luks.keySlots.dropFirst().allSatisfy { !$0.isActive && $0.hasKnownState })
        #expect(luks.keySlots.map(\.keyOffset) == [4096, 262144, 520192, 778240, 1036288, 1294336, 1552384, 1810432])
        #expect(luks.keySlots.allSatisfy { $0.stripes == 4000 })
    }

    /// A LUKS header built by hand: ESSIV with its hash, CBC, 16 key bytes.
    @Test func essivCBCHeader() throws {
        var bytes = [UInt8](repeating: 0, count: LUKSHeader.size)
        func put(_ at: Int, _ v: [UInt8]) { bytes.replaceSubrange(at..<at + v.count, with: v) }
        put(0, LUKSHeader.magic)
        put(6, [0, 1])
        put(8, Array("aes".utf8))
        put(40, Array("cbc-essiv:sha256".utf8))
        put(72, Array("sha1".utf8))
        put(104, SyntheticImage.be(UInt32(4040)))
        put(108, SyntheticImage.be(UInt32(16)))
        for slot in 0..<8 {
            let at = 208 + slot * 48
            put(at, SyntheticImage.be(slot == 2 ? LUKSKeySlot.activeMarker : slot == 5 ? UInt32(0x1234) : LUKSKeySlot.inactiveMarker))
            put(at + 40, SyntheticImage.be(UInt32(8 + slot * 128)))
            put(at + 44, SyntheticImage.be(UInt32(4000)))
        }
        let luks = try LUKSHeader(parsing: bytes, at: 0x40000)
        #expect(luks.qemuCipherAlgorithm == "aes-128")
        #expect(luks.qemuCipherMode == "cbc")
        #expect(luks.qemuIVGenAlgorithm == "essiv")
        #expect(luks.qemuIVGenHashAlgorithm == "sha256")
        #expect(luks.qemuHashAlgorithm == "sha1")
        #expect(luks.keySlots[2].isActive)
        let findings = luks.validate(encryptionLength: 2_068_480)
        #expect(findings.contains { $0.offset == 0x40000 + 208 + 5 * 48 && $0.message.contains("neither active") })
        #expect(findings.count == 1)
    }

    @Test func damagedHeaderIsDecodedWithFindings() throws {
        var bytes = [UInt8](repeating: 0, count: LUKSHeader.size)
        bytes.replaceSubrange(0..<4, with: Array("LUKX".utf8))
        bytes[7] = 2
        let luks = try LUKSHeader(parsing: bytes, at: 0x10000)
        let findings = luks.validate(encryptionLength: 4096)
        #expect(findings.contains { $0.offset == 0x10000 && $0.message.contains("magic") })
        #expect(findings.contains { $0.offset == 0x10006 })
        #expect(findings.contains { $0.message.contains("no key slot is active") })
        #expect(throws: FormatError.self) { try LUKSHeader(parsing: Array(bytes.prefix(100)), at: 0) }
    }

    @Test(arguments: [("aes", "xts-plain64", UInt32(32), "aes-128"), ("aes", "xts-plain64", 48, "aes-192"),
                      ("serpent", "cbc-plain", 32, "serpent-256"), ("twofish", "ecb-plain", 24, "twofish-192"),
                      ("cast5", "cbc-plain64", 16, "cast5-128")])
    func cipherNames(name: String, mode: String, keyBytes: UInt32, expected: String) throws {
        var bytes = [UInt8](repeating: 0, count: LUKSHeader.size)
        bytes.replaceSubrange(8..<(8 + name.utf8.count), with: Array(name.utf8))
        bytes.replaceSubrange(40..<(40 + mode.utf8.count), with: Array(mode.utf8))
        bytes.replaceSubrange(108..<112, with: SyntheticImage.be(keyBytes))
        #expect(try LUKSHeader(parsing: bytes, at: 0).qemuCipherAlgorithm == expected)
    }

    @Test func aesImageIsNotLUKS() throws {
        var s = SyntheticImage()
        s.cryptMethod = 1
        let image = try s.open()
        #expect(image.header.encryption == .aes)
        let (luks, findings) = image.readLUKSHeader()
        #expect(luks == nil && findings.isEmpty)
    }
}
