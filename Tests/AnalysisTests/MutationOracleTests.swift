import Analysis
import Foundation
import Qcow2
import Reports
import TestSupport
import Testing

/// The hostile mutation corpus (Tests/Mutations/corpus): the scan must survive every image, and
/// where qemu-img can say, `check` must agree with it on the numbers and the exit status.
@Suite struct MutationOracleTests {
    static let corpus = Fixtures.root.replacingOccurrences(of: "/Fixtures", with: "/Mutations/corpus")

    static var images: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).filter { $0.hasSuffix(".qcow2") }.sorted()
    }

    /// Where qcowscope deliberately differs from qemu-img, by name fragment:
    static let knownDifferences: [(String, String)] = [
        ("chain-dir", "QEMU fails on a directory as backing file; qcowscope only notes non-regular files"),
        ("chain-dev-", "QEMU opens /dev/zero and /dev/urandom as backing files; they are outside the image's directory, so qcowscope refuses them (ReachRule) and cannot check, as with a missing backing file"),
        ("datafile-dev-zero", "QEMU opens /dev/zero as data file; it is outside the image's directory, so qcowscope refuses it (ReachRule)"),
        ("chain-fifo", "a FIFO as backing file: QEMU blocks or fails; qcowscope does not open it"),
        ("chain-format-unknown", "QEMU fails on a format it does not know; qcowscope does not follow unknown formats"),
        ("chain-loop", "QEMU loops until the timeout; qcowscope reports the loop"),
        ("chain-self", "QEMU loops until the timeout; qcowscope reports the loop"),
        ("crypt_method", "QEMU needs the encryption key to check; qcowscope needs none"),
        ("crypto-ext", "QEMU needs the encryption key to check; qcowscope needs none"),
        ("datafile-dir", "a directory as external data file: QEMU fails, qcowscope only notes it"),
        ("truncated-at-0x783f", "bitmap directory cut by the end of the file: QEMU reads zeros, qcowscope's decoder stops"),
    ]

    @Test func everyImageScansWithinBounds() throws {
        try #require(!Self.images.isEmpty, "mutation corpus missing at \(Self.corpus)")
        for name in Self.images {
            guard let image = try? Qcow2Image(path: Self.corpus + "/" + name) else { continue }
            let clock = ContinuousClock.now
            if let analysis = try? ImageAnalysis.scan(image) {
                // Every report can be built from whatever the scan found.
                _ = CheckReport(analysis: analysis, filename: name).json().rendered()
                _ = LayoutReport(analysis: analysis, filename: name).json()
                _ = SnapshotsReport(analysis: analysis).json().rendered()
                _ = FragReport(analysis: analysis, filename: name, advice: nil).json().rendered()
            }
            // A guard against hangs, not a speed test (Benchmarks/ measure speed): generous for a busy machine.
            #expect(ContinuousClock.now - clock < .seconds(60), "\(name) took too long")
        }
    }

    @Test(.enabled(if: Tools.qemu, "needs qemu-img on PATH"))
    func checkAgreesWithQemu() throws {
        var compared = 0
        for name in Self.images where !Self.knownDifferences.contains(where: { name.contains($0.0) }) {
            let (status, expected) = try QemuOracle.check(name, in: Self.corpus)
            guard status != 124 else { continue }            // qemu-img timed out
            let ours: (Int32, [String: UInt64]?)
            if let image = try? Qcow2Image(path: Self.corpus + "/" + name), let analysis = try? ImageAnalysis.scan(image) {
                ours = (analysis.check.exitStatus, qemuCheckValues(analysis, filename: name))
            } else {
                ours = (1, nil)
            }
            #expect(ours.0 == status, "\(name): exit status \(ours.0), qemu-img \(status)")
            if status != 1, let expected { #expect(ours.1 == expected, "\(name)") }
            compared += 1
        }
        #expect(compared * 4 >= Self.images.count * 3, "only \(compared) of \(Self.images.count) images compared")
    }
}
