import Guest
import Qcow2
import Analysis
import Foundation
import Testing
import TestSupport

/// ``GuestDisk`` against QEMU: the bytes it reads equal `qemu-img convert -O raw` of the same state,
/// on every committed fixture qemu-img can read and on images made here (compressed zlib/zstd,
/// extended L2, 4 KiB and 2 MiB clusters, chains with qcow2 and raw bases, snapshots).
@Suite(.enabled(if: Tools.qemu)) struct GuestDiskOracleTests {
    @Test(arguments: SpaceFixtures.qcow2Images(in: SpaceFixtures.root + "/images"))
    func fixture(_ name: String) throws {
        let directory = try Tools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let images = SpaceFixtures.root + "/images"
        let raw = directory + "/out.raw"
        // Run where the image is: QEMU opens a relative external data file name from its working directory.
        let convert = try Tools.run(["qemu-img", "convert", "-f", "qcow2", "-O", "raw", name, raw], in: images)
        let image = try Qcow2Image(path: images + "/" + name)
        let disk: GuestDisk
        do {
            disk = try GuestDisk(chain: BackingChain.open(top: image))
        } catch {
            #expect(convert.status != 0, "\(name): GuestDisk refused what qemu-img converts: \(error)")
            return
        }
        guard convert.status == 0 else {
            // QEMU cannot read it either (encrypted without a key, corrupt tables): ours must throw, not crash.
            #expect(throws: FormatError.self, "\(name): qemu-img failed (\(convert.stderr)) but every byte read") {
                var offset: UInt64 = 0
                while offset < disk.size {
                    _ = try disk.readBytes(Int(min(1 << 20, disk.size - offset)), at: offset, for: .guestDisk)
                    offset += 1 << 20
                }
            }
            return
        }
        #expect(try firstDifference(disk, raw: raw) == nil, "\(name)")
    }

    @Test(arguments: GuestDiskCase.all)
    func generated(_ c: GuestDiskCase) throws {
        let directory = try Tools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try runAll(c.setup, in: directory)
        let raw = directory + "/out.raw"
        try runAll([["qemu-img", "convert", "-f", "qcow2", "-O", "raw"] + (c.snapshot.map { ["-l", "snapshot.name=\($0)"] } ?? [])
                    + ["top.qcow2", raw]], in: directory)
        let chain = BackingChain.open(top: try Qcow2Image(path: directory + "/top.qcow2"))
        let disk: GuestDisk
        if let name = c.snapshot {
            let snapshot = try #require(try chain.layers[0].image?.readSnapshots().snapshots.first { $0.name.string == name })
            disk = try GuestDisk(chain: chain, snapshot: snapshot)
        } else {
            disk = try GuestDisk(chain: chain)
        }
        #expect(try firstDifference(disk, raw: raw) == nil, "\(c.name)")
    }
}

/// An image made with qemu-img/qemu-io whose guest bytes are compared with qemu-img convert's.
struct GuestDiskCase: Sendable, CustomStringConvertible {
    var name: String
    var setup: [[String]]
    /// Convert this internal snapshot instead of the active layer.
    var snapshot: String? = nil
    var description: String { name }

    static func io(_ file: String, _ commands: [String], format: String = "qcow2") -> [String] {
        ["qemu-io", "-f", format] + commands.flatMap { ["-c", $0] } + [file]
    }

    /// Writes that leave data, zeros, compressed clusters and holes at unaligned places.
    static let writes = ["write -P 0x11 0 100k", "write -P 0x22 300k 8k", "write -z 64k 16k",
                         "write -c -P 0x33 1M 64k", "write -P 0x44 2M 4k", "write -c -P 0x55 3M 128k"]

    static func plain(_ name: String, _ options: String, writes: [String] = writes) -> GuestDiskCase {
        GuestDiskCase(name: name, setup: [["qemu-img", "create", "-q", "-f", "qcow2", "-o", options, "top.qcow2", "5M"],
                                          io("top.qcow2", writes)])
    }

    static let all: [GuestDiskCase] = [
        plain("zlib-64k", "cluster_size=64k"),
        plain("zstd-64k", "cluster_size=64k,compression_type=zstd"),
        plain("4k", "cluster_size=4k"),
        // Compressed writes must cover whole clusters: one 2 MiB compressed cluster.
        plain("2M", "cluster_size=2M", writes: ["write -P 0x11 0 100k", "write -z 64k 16k", "write -c -P 0x33 2M 2M",
                                                "write -P 0x44 4M 4k"]),
        plain("extl2", "cluster_size=64k,extended_l2=on"),
        plain("extl2-zstd-32k", "cluster_size=32k,extended_l2=on,compression_type=zstd"),
        GuestDiskCase(name: "chain-qcow2-raw", setup: [
            ["qemu-img", "create", "-q", "-f", "raw", "base.raw", "3M"],
            io("base.raw", ["write -P 0x66 0 3M"], format: "raw"),
            ["qemu-img", "create", "-q", "-f", "qcow2", "-b", "base.raw", "-F", "raw", "mid.qcow2", "4M"],
            io("mid.qcow2", ["write -P 0x77 1M 512k", "write -z 2M 64k"]),
            ["qemu-img", "create", "-q", "-f", "qcow2", "-o", "cluster_size=4k", "-b", "mid.qcow2", "-F", "qcow2", "top.qcow2", "6M"],
            io("top.qcow2", ["write -P 0x88 1100k 12k", "write -c -P 0x99 2200k 4k", "write -z 0 8k"]),
        ]),
        GuestDiskCase(name: "chain-extl2-over-shorter", setup: [
            ["qemu-img", "create", "-q", "-f", "qcow2", "base.qcow2", "1M"],
            io("base.qcow2", ["write -P 0xaa 0 1M"]),
            ["qemu-img", "create", "-q", "-f", "qcow2", "-o", "extended_l2=on", "-b", "base.qcow2", "-F", "qcow2", "top.qcow2", "3M"],
            io("top.qcow2", ["write -P 0xbb 6k 2k", "write -z 100k 4k", "write -P 0xcc 2M 3k"]),
        ]),
        GuestDiskCase(name: "snapshot", setup: [
            ["qemu-img", "create", "-q", "-f", "qcow2", "top.qcow2", "4M"],
            io("top.qcow2", ["write -P 0x12 0 1M", "write -c -P 0x13 2M 64k"]),
            ["qemu-img", "snapshot", "-c", "one", "top.qcow2"],
            io("top.qcow2", ["write -P 0x14 512k 1M", "write -z 2M 64k"]),
        ], snapshot: "one"),
    ]
}
