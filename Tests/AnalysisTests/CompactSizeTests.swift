import Testing
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
        #expect(size.required == (expected["required"] as? NSNumber)?.uint64Value, "\(name)")
        #expect(size.fullyAllocated == (expected["fully-allocated"] as? NSNumber)?.uint64Value, "\(name)")
    }

    /// qcow2_calc_prealloc_size for sizes where QEMU's answer is known.
    @Test func preallocationFormula() {
        #expect(CompactSize.preallocatedSize(virtualSize: 100 << 20, clusterSize: 65536, refcountOrder: 4, extendedL2: false) == 105_185_280)
    }
}
