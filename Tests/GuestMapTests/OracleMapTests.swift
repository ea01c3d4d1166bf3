import Analysis
import Foundation
import Testing
import TestSupport

/// `qcowscope map` against `qemu-img map` (the oracle) on images made fresh by qemu-img/qemu-io:
/// byte-identical JSON and human output, and the same refusals.
@Suite(.enabled(if: Tools.qemu)) struct OracleMapTests {
    @Test(arguments: OracleMapCase.matrix)
    func matrix(_ c: OracleMapCase) throws {
        try check(c)
    }

    /// Random chains of one to three layers (raw at the bottom, cluster sizes 512 B-2 MiB,
    /// extended L2, data files, preallocation) with random writes, zero writes, unmaps, discards
    /// and compressed writes.
    @Test(arguments: 1...16)
    func random(_ seed: Int) throws {
        try check(RandomMapCase.make(seed: UInt64(seed)))
    }

    private func check(_ c: OracleMapCase) throws {
        let directory = try Tools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for command in c.setup {
            let result = try Tools.run(command, in: directory)
            try #require(result.status == 0 || c.setupMayFail, "\(c.name): \(command.joined(separator: " ")): \(result.stderr)")
        }
        Tools.settle(directory)
        let path = directory + "/" + c.top
        let open = c.qemuOpen.map { $0.map { $0.replacingOccurrences(of: "{}", with: path) } } ?? ["-f", "qcow2", path]

        let qemuJSON = try Tools.run(["qemu-img", "map", "--output=json"] + open, in: directory)
        let ours = try ourMap(path, noBacking: c.noBacking)
        #expect(ours.failed == (qemuJSON.status != 0), "\(c.name): qemu-img said \(qemuJSON.stderr)")
        #expect(ours.output == qemuJSON.stdout, "\(c.name)")

        guard c.human else { return }
        let qemuHuman = try Tools.run(["qemu-img", "map"] + open, in: directory)
        let oursHuman = try ourMap(path, human: true, noBacking: c.noBacking)
        #expect(oursHuman.failed == (qemuHuman.status != 0), "\(c.name) (human): qemu-img said \(qemuHuman.stderr)")
        #expect(oursHuman.output == qemuHuman.stdout, "\(c.name) (human)")
    }
}

/// Seeded random chains for the oracle (SplitMix64, so a failing seed can be replayed).
enum RandomMapCase {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: UInt64) -> UInt64 { n == 0 ? 0 : next() % n }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(below(UInt64(items.count)))] }
        mutating func chance(_ p: Double) -> Bool { Double(below(1000)) < p * 1000 }
    }

    static func make(seed: UInt64) -> OracleMapCase {
        var g = Generator(state: seed &* 7919)
        var setup: [[String]] = []
        var previous: (name: String, format: String)?
        var human = true
        let layers = 1 + Int(g.below(3))
        for i in 0..<layers {
            let size = g.pick([1, 2, 3, 5, 8] as [UInt64]) << 20 + g.pick([0, 0, 512, 65536, 1536] as [UInt64])
            if i == 0 && layers > 1 && g.chance(0.4) {
                setup.append(["qemu-img", "create", "-q", "-f", "raw", "L0.raw", String(size)])
                setup.append(OracleMapCase.io("L0.raw", "write -P 1 0 64k", "write -P 2 \(size / 2 / 512 * 512) 4k", format: "raw"))
                previous = ("L0.raw", "raw")
                continue
            }
            let cluster = g.pick([512, 4096, 65536, 65536, 2 << 20] as [UInt64])
            let extended = cluster >= 16384 && g.chance(0.4)
            let dataFile = previous == nil && g.chance(0.15)
            var options = "cluster_size=\(cluster)" + (extended ? ",extended_l2=on" : "")
            if dataFile {
                options += ",data_file=L\(i).data" + (g.chance(0.5) ? ",data_file_raw=on" : "")
                human = false
            }
            if g.chance(0.15) && !dataFile && (previous == nil || extended) { options += ",preallocation=metadata" }
            let name = "L\(i).qcow2"
            setup.append(OracleMapCase.create(name, String(size), options, backing: previous?.name,
                                              backingFormat: previous?.format ?? "qcow2"))
            var commands: [String] = []
            let align = g.pick([512, 4096, cluster])
            for _ in 0..<g.below(26) {
                let offset = g.below(max(1, size / align)) * align
                let length = min(g.pick([align, align * 2, 4096, 65536, align * 3, 51200]), size - offset)
                guard length > 0 else { continue }
                let op = g.below(100)
                if op < 50 {
                    commands.append("write -P \(1 + g.below(254)) \(offset) \(length)")
                } else if op < 65 {
                    commands.append("write -z \(offset) \(length)")
                } else if op < 75 {
                    commands.append("write -z -u \(offset) \(length)")
                } else if op < 85 {
                    commands.append("discard \(offset) \(length)")
                } else if !extended && !dataFile, offset / cluster * cluster + cluster <= size {
                    commands.append("write -c -P 9 \(offset / cluster * cluster) \(cluster)")
                }
            }
            if !commands.isEmpty { setup.append(["qemu-io", "-f", "qcow2"] + commands.flatMap { ["-c", $0] } + [name]) }
            previous = (name, "qcow2")
        }
        return OracleMapCase(name: "random seed \(seed)", setup: setup, top: previous?.name ?? "L0.qcow2", human: human,
                              setupMayFail: true)
    }
}
