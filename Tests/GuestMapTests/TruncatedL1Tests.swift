import Analysis
import Foundation
import Qcow2
import TestSupport
import Testing

/// A truncated image whose L1 table lies past the end of the file: QEMU reads the missing bytes
/// as zeros, so `qemu-img map` and `qemu-img measure -O qcow2` answer; ours answer the same, with
/// the damage as an error finding (exit 2 in the commands).
@Suite(.enabled(if: Tools.find("qemu-img") != nil && Tools.find("qemu-io") != nil, "needs qemu-img and qemu-io"))
struct TruncatedL1Tests {
    @Test func mapAndMeasureAnswerAsQemu() throws {
        let dir = try Tools.temporaryDirectory("qcowscope-truncated-l1")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/t.qcow2"
        try #require(try Tools.run(["qemu-img", "create", "-q", "-f", "qcow2", path, "64M"], in: dir).status == 0)
        try #require(try Tools.run(["qemu-io", "-c", "write -P 1 0 64k", path], in: dir).status == 0)
        let l1 = try Qcow2Image(path: path).header.l1TableOffset
        try #require(truncate(path, off_t(l1)) == 0)

        let image = try Qcow2Image(path: path)
        let map = try GuestMap(chain: BackingChain.open(top: image))
        let damage = try #require(map.findings.first { $0.structure == .l1Table && $0.severity == .error })
        #expect(damage.offset == l1)
        let qemu = try Tools.run(["qemu-img", "map", "--output=json", path], in: dir)
        try #require(qemu.status == 0)
        #expect(try ourMap(path).output == qemu.stdout)

        let measured = try Tools.run(["qemu-img", "measure", "-O", "qcow2", "--output=json", path], in: dir)
        let required = measured.stdout.split(separator: "\n").first { $0.contains("\"required\"") }
            .flatMap { UInt64($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: [","])) }
        #expect(try CompactSize.measure(map).required == required)
    }
}
