import Foundation
import Reports
import Testing
import TestSupport

/// The `space` command as a process: the JSON contract of issue 10, the exit-status policy (0
/// complete, 2 printed but damaged with the first error on stderr, 1 nothing readable), and
/// hostile guests (a garbage partition table, a damaged filesystem) giving findings, never a crash.
@Suite(.enabled(if: SpaceBinary.path != nil)) struct SpaceCommandTests {
    static let topKeys = ["filename", "virtual-size", "file-size", "cluster-size", "reclaimable-bytes",
                          "outside-volumes-bytes", "breakdown", "volumes", "findings"]
    static let volumeKeys = ["start", "length", "table", "partition", "type", "filesystem", "label", "uuid",
                             "block-size", "blocks", "free-blocks", "allocated-bytes", "reclaimable-bytes"]

    @Test(arguments: ["gpt", "mbr", "whole"])
    func contract(_ name: String) throws {
        let run = try SpaceBinary.run(["space", "--json", SpaceFixtures.guest(name + ".qcow2")])
        #expect(run.status == 0, "\(name): \(run.stderr)")
        let json = try JSONParser.parse(run.stdout)
        guard case .object(let top) = json else { Issue.record("not an object"); return }
        #expect(Array(top.map(\.0).prefix(Self.topKeys.count)) == Self.topKeys)
        for volume in json["volumes"]?.items ?? [] {
            guard case .object(let pairs) = volume else { continue }
            #expect(Array(pairs.map(\.0).prefix(Self.volumeKeys.count)) == Self.volumeKeys)
        }
        let filesystems = (json["volumes"]?.items ?? []).compactMap { $0["filesystem"]?.string }
        let partitions = (json["volumes"]?.items ?? []).map { $0["partition"] ?? .null }
        switch name {
        case "gpt":
            #expect(filesystems == ["ext4", "vfat", "swap"])
            #expect(partitions == [.int(1), .int(2), .int(3)] || partitions == [.uint(1), .uint(2), .uint(3)])
            #expect((json["volumes"]?.items ?? []).map { $0["label"]?.string } == ["root", "EFI", "swap"])
        case "mbr":
            #expect(filesystems.suffix(2) == ["ext2", "ntfs"])
            #expect((json["volumes"]?.items ?? []).compactMap { $0["partition"]?.uint } == [1, 5, 6])
            #expect(json["volumes"]?.items.first?["type"]?.string == "0x83")
        default:
            #expect(filesystems == ["ext4"])
            #expect(json["volumes"]?.items.first?["table"]?.string == "none")
            #expect(json["volumes"]?.items.first?["partition"] == JSONValue.null)
        }
        let text = try SpaceBinary.run(["space", SpaceFixtures.guest(name + ".qcow2")])
        #expect(text.status == 0)
        #expect(text.stdout.contains("total (the file size)"))
    }

    @Test func nothingReadableExitsOne() throws {
        let directory = try Tools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try runAll([["sh", "-c", "head -c 65536 /dev/urandom > notqcow2.img"]], in: directory)
        for path in [directory + "/notqcow2.img", directory + "/missing.qcow2"] {
            let run = try SpaceBinary.run(["space", "--json", path])
            #expect(run.status == 1)
            #expect(run.stdout.isEmpty)
            #expect(!run.stderr.isEmpty)
        }
    }

    /// A damaged image or a damaged guest: the report is printed, exit 2, stderr names the first error.
    @Test(arguments: ["images/corrupt-l2-past-eof.qcow2", "images/corrupt-leak.qcow2", "guest/garbage.qcow2", "images/luks.qcow2"])
    func partialReports(_ name: String) throws {
        let run = try SpaceBinary.run(["space", "--json", SpaceFixtures.root + "/" + name])
        #expect(run.status == 0 || run.status == 2, "\(name): status \(run.status) \(run.stderr)")
        let json = try JSONParser.parse(run.stdout)
        if run.status == 2 { #expect(run.stderr.contains("damaged"), "\(name): \(run.stderr)") }
        if name.hasPrefix("guest/") {
            let findings = json["findings"]?.items ?? []
            #expect(findings.count > 0, "\(name): a garbage table gives findings")
            #expect(run.status == 2)
        }
        try expectBreakdownSums(json, name)
    }

    /// Hostile guests made here: a GPT whose header and entries are overwritten with old data, and
    /// an ext4 superblock with absurd counts: findings, a complete breakdown, no crash or hang.
    @Test func hostileGuests() throws {
        let directory = try Tools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try runAll([
            ["sh", "-c", "head -c 8388608 /dev/zero | tr '\\000' '\\245' > gpt.raw"],
            ["sgdisk", "-o", "-n", "1:2048:+4M", "gpt.raw"],
            ["sh", "-c", "head -c 4194304 /dev/zero | tr '\\000' '\\245' > p1.img && mkfs.ext4 -q -F p1.img"],
            // s_blocks_count_lo and s_log_block_size absurd; then the primary GPT header overwritten.
            ["sh", "-c", "printf '\\377\\377\\377\\377' | dd of=p1.img bs=1 seek=1028 conv=notrunc status=none"],
            ["sh", "-c", "printf '\\077' | dd of=p1.img bs=1 seek=1048 conv=notrunc status=none"],
            ["dd", "if=p1.img", "of=gpt.raw", "bs=1M", "seek=1", "conv=notrunc", "status=none"],
            ["sh", "-c", "head -c 512 /dev/urandom | dd of=gpt.raw bs=512 seek=1 conv=notrunc status=none"],
            ["qemu-img", "convert", "-O", "qcow2", "gpt.raw", "hostile.qcow2"],
        ], in: directory)
        let run = try SpaceBinary.run(["space", "--json", directory + "/hostile.qcow2"])
        #expect(run.status == 0 || run.status == 2, "status \(run.status): \(run.stderr)")
        let json = try JSONParser.parse(run.stdout)
        let findings = json["findings"]?.items ?? []
        #expect(findings.count > 0)
        try expectBreakdownSums(json, "hostile")
    }
}

/// The built `qcowscope` (``QcowscopeBinary``).
enum SpaceBinary {
    static let path: String? = QcowscopeBinary.path

    static func run(_ arguments: [String]) throws -> Tools.Output { try QcowscopeBinary.run(arguments) }
}
