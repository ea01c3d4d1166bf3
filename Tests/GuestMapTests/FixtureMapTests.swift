import Analysis
import Foundation
import Qcow2
import TestSupport
import Testing

/// `qcowscope map --json` on every fixture against `qemu-img map --output=json`: the recorded
/// answer (Tests/Fixtures/expected/NAME.map.json), and qemu-img itself when it is installed.
@Suite struct FixtureMapTests {
    /// The recorded answers depend on which host ranges were holes when they were recorded (raw
    /// backing files; images QEMU treats as metadata-preallocated), and a checkout may write the
    /// files differently. So the recorded comparison ignores hole-versus-data on host ranges; the
    /// live comparison below is exact.
    @Test(arguments: Fixtures.mappedImages)
    func matchesRecordedAnswer(_ name: String) throws {
        let expected = try #require(Fixtures.read(Fixtures.expected(name + ".map.json")))
        let ours = try ourMap(Fixtures.image(name + ".qcow2"))
        #expect(!ours.failed)
        if ours.output == expected { return }
        let raw = try rawDepths(Fixtures.image(name + ".qcow2"))
        #expect(holeBlind(parseMap(ours.output), raw: raw) == holeBlind(parseMap(expected), raw: raw),
                "\(name): differs from the recorded qemu-img map beyond host holes")
    }

    @Test(.enabled(if: Tools.qemu), arguments: Fixtures.mappedImages)
    func matchesLiveQemu(_ name: String) throws {
        let directory = Fixtures.root + "/images"
        var arguments = ["qemu-img", "map", "--output=json", "-f", "qcow2", name + ".qcow2"]
        if name == "luks" {
            arguments = ["qemu-img", "map", "--output=json", "--object", "secret,id=sec0,data=abc123", "--image-opts",
                         "driver=qcow2,file.filename=luks.qcow2,encrypt.key-secret=sec0"]
        }
        let qemu = try Tools.run(arguments, in: directory)
        let ours = try ourMap(directory + "/" + name + ".qcow2")
        #expect(ours.failed == (qemu.status != 0), "\(name): \(qemu.stderr)")
        #expect(ours.output == qemu.stdout, "\(name)")
    }

    /// Depths whose layer is a raw file.
    private func rawDepths(_ path: String) throws -> Set<Int> {
        let map = try GuestMap(chain: BackingChain.open(top: try Qcow2Image(path: path)))
        return Set(map.layers.indices.filter { if case .raw = map.layers[$0].format { true } else { false } })
    }
}

/// The map with host holes forgotten: a present range with a host offset that is data (or lies in a
/// raw file) reads as plain data; then entries are merged again.
func holeBlind(_ entries: [GuestMapEntry], raw: Set<Int>) -> [GuestMapEntry] {
    var out: [GuestMapEntry] = []
    for var e in entries {
        if e.present, e.offset != nil, e.data || raw.contains(e.depth) {
            e.data = true
            e.zero = false
        }
        if let last = out.last, last.end == e.start, last.canAbsorb(e) {
            out[out.count - 1].length += e.length
        } else {
            out.append(e)
        }
    }
    return out
}
