import Analysis
import Foundation
import Qcow2
import Reports
import Testing

/// The scan of an image in use, made deterministic: a source in memory that says a QEMU holds its
/// lock, and whose bytes, each time it is reopened, are the next of a list of versions (a running
/// QEMU's writes between two reads). The real thing, qemu-io and qemu-nbd writing, is InUseTests.
@Suite struct InUseScanTests {
    /// A held image: reading gives `versions[index]`, reopening the next version.
    final class HeldSource: ByteSource, Sendable {
        let versions: [[UInt8]]
        let index: Int
        let memory: MemoryByteSource

        init(_ versions: [[UInt8]], index: Int = 0) {
            self.versions = versions
            self.index = index
            memory = MemoryByteSource(versions[index])
        }

        var size: UInt64 { memory.size }
        func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(FormatError) -> Int {
            try memory.read(into: buffer, at: offset)
        }
        func isLockedByAnotherProcess() -> Bool? { true }
        func reopened() throws(FormatError) -> (any ByteSource)? { HeldSource(versions, index: (index + 1) % versions.count) }
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try #require(FileManager.default.contents(atPath: Fixtures.image(name))))
    }

    static func scanHeld(_ versions: [[UInt8]]) throws -> ImageAnalysis {
        try ImageAnalysis.scan(try Qcow2Image(file: HeldSource(versions), limits: .noBacking))
    }

    /// Refcounts too high (a leak) or too low on disk are what QEMU's caches and lazy refcounts
    /// leave while it runs: set aside as expected, with the explanation, and `check` exits 0.
    @Test(arguments: ["corrupt-leak.qcow2", "corrupt-refcount-zero.qcow2"])
    func refcountDifferencesAreExpected(_ name: String) throws {
        let atRest = try analyse(Fixtures.image(name))
        #expect(atRest.check.leaks + atRest.check.corruptions > 0)
        let held = try Self.scanHeld([try Self.bytes(name)])
        #expect(held.inUse)
        let reading = try #require(held.inUseReading)
        #expect(held.check.leaks == 0 && held.check.corruptions == 0)
        #expect(reading.expectedLeaks == atRest.check.leaks && reading.expectedCorruptions == atRest.check.corruptions)
        #expect(reading.passes == 1 && reading.changedWhileReading.total == 0)
        let report = CheckReport(analysis: held, filename: name)
        #expect(report.exitStatus == 0)
        let json = report.json()
        #expect(json["in-use"] == .bool(true))
        #expect(json["in-use-expected"]?["explanation"] == .string(InUseReading.explanation))
        #expect(report.text().contains("are expected: the image is in use by a running QEMU"))
    }

    /// Damage QEMU's caches do not explain, on metadata that holds still between two reads, is
    /// real: an image in use is not a way to hide it.
    @Test func damageThatHoldsStillIsReported() throws {
        let held = try Self.scanHeld([try Self.bytes("corrupt-l2-past-eof.qcow2")])
        #expect(held.inUse)
        #expect(held.check.corruptions > 0)
        #expect(held.findings.count(of: .beyondEndOfFile) > 0)
        #expect(held.inUseReading?.passes == 1)
        #expect(held.inUseReading?.changedWhileReading.total == 0)
    }

    /// Metadata that changes under every pass: scanned again (3 passes), and what it found is
    /// "changed while reading", never a corruption.
    @Test func metadataThatKeepsChangingIsChangedWhileReading() throws {
        let a = try Self.bytes("corrupt-l2-past-eof.qcow2")
        var b = a
        // A byte of the header cluster past every header field and extension: read by the scan,
        // meaningless to it.
        let clusterSize = 1 << Int(try Qcow2Image(file: MemoryByteSource(a)).header.clusterBits)
        b[clusterSize - 1] ^= 0xFF
        let held = try Self.scanHeld([a, b])
        let reading = try #require(held.inUseReading)
        #expect(reading.passes == ImageAnalysis.maxInUsePasses)
        #expect(held.check.corruptions == 0 && held.check.leaks == 0)
        #expect(reading.changedWhileReading.count(of: .beyondEndOfFile) > 0)
        let report = CheckReport(analysis: held, filename: "changing")
        #expect(report.exitStatus == 0)
        #expect(report.json()["changed-while-reading"] != nil)
        #expect(report.text().contains("changed while reading"))
    }
}
