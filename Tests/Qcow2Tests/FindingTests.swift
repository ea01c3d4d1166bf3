import Testing
@testable import Qcow2

/// The one finding type: defaults derived from the structure and severity, and the overflow
/// findings and errors the LUKS decoder gives for sums that would wrap.
@Suite struct FindingTests {
    @Test func defaultsFollowStructureAndSeverity() {
        let guest = Finding(.warning, .extSuperblock, at: 1024, "dirty")
        #expect(guest.kind == .guest && guest.counting == .none && guest.cluster == nil)
        let image = Finding(.error, .l2Table, at: 0x30000, "bad")
        #expect(image.kind == .image && image.counting == .none)
        let io = Finding(FormatError(.l2Table, at: 0x30000, .io(errno: 5, operation: "pread")))
        #expect(io.kind == .readError && io.counting == .checkError)
        let scan = Finding(.refcountTooLow, at: 0x20000, cluster: 2, "refcount=0 reference=1", severity: .error,
                           counting: .corruption)
        #expect(scan.structure == .hostCluster && scan.cluster == 2)
    }

    @Test func luksHeaderAtTheTopOfTheAddressSpaceIsAnOverflowError() {
        let bytes = [UInt8](repeating: 0, count: LUKSHeader.size)
        do {
            _ = try LUKSHeader(parsing: bytes, at: UInt64.max - 100)
            Issue.record("a header ending past 2^64 was accepted")
        } catch {
            guard case .overflow = error.kind else { Issue.record("kind \(error.kind)"); return }
        }
    }

    @Test func keyMaterialEndPastTwoToTheSixtyFourIsAnOverflowFinding() throws {
        var bytes = [UInt8](repeating: 0, count: LUKSHeader.size)
        func put(_ at: Int, _ v: [UInt8]) { bytes.replaceSubrange(at..<at + v.count, with: v) }
        put(108, SyntheticImage.be(UInt32.max))  // key bytes
        let slot = LUKSHeader.keySlotsOffset
        put(slot + 40, SyntheticImage.be(UInt32.max))  // key material sector
        put(slot + 44, SyntheticImage.be(UInt32.max))  // stripes
        let luks = try LUKSHeader(parsing: bytes, at: 0x10000)
        let findings = luks.validate(encryptionLength: 4096)
        #expect(findings.contains { $0.kind == .overflow && $0.offset == 0x10000 + UInt64(slot) + 40 })
    }
}
