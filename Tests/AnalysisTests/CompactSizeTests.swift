import Testing
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Analysis

/// `compact-size` is exactly what `qemu-img measure -O qcow2` reports as `required`.
@Suite struct CompactSizeTests {
    static var measured: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.root + "/expected")) ?? []
        return names.filter { $0.hasSuffix(".measure.json") }.map { String($0.dropLast(".measure.json".count)) }.sorted()
    }

    @Test(arguments: measured)
    func matchesQemuMeasure(_ name: String) throws {
        let expected = try #require(Fixtures.json("\(name).measure.json"))
        let image = try Qcow2Image(path: Fixtures.image("\(name).qcow2"))
        let map = try GuestMap(chain: BackingChain.open(top: image))
        let size = try CompactSize.measure(map)
        // QEMU's answer depends on how the files are stored: its metadata-preallocation guess
        // compares st_blocks with the refcounts, and then reads holes in data clusters as zeros.
        // The recorded answers are for files written without holes (make-fixtures.sh); a git
        // checkout may make holes, and then only a live `qemu-img measure` (OracleCheckTests) can
        // say what QEMU says about the files as they are.
        let paths = map.layers.map(\.hostPath)
        withKnownIssue("\(name) is stored with holes: the recorded qemu-img answer may not apply", isIntermittent: true) {
            #expect(size.required == (expected["required"] as? NSNumber)?.uint64Value, "\(name)")
        } when: { paths.contains(where: Self.hasHoles) }
        #expect(size.fullyAllocated == (expected["fully-allocated"] as? NSNumber)?.uint64Value, "\(name)")
    }

    /// Whether the file occupies fewer blocks than its size (a sparse file).
    static func hasHoles(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return Int64(info.st_blocks) * 512 < Int64(info.st_size)
    }

    /// qcow2_calc_prealloc_size for sizes where QEMU's answer is known.
    @Test func preallocationFormula() {
        #expect(CompactSize.preallocatedSize(virtualSize: 100 << 20, clusterSize: 65536, refcountOrder: 4, extendedL2: false) == 105_185_280)
    }
}
