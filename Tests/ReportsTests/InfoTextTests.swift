import Formatting
import Foundation
import Testing
@testable import Reports
import Qcow2

@Suite struct InfoTextTests {
    static func open(_ name: String) throws -> Qcow2Image { try Qcow2Image(path: InfoFixtureTests.root + "/images/" + name) }

    @Test func summaryLikeQemuImg() throws {
        let text = InfoReport(image: try Self.open("snapshots.qcow2"), filename: "snapshots.qcow2").text()
        #expect(text.hasPrefix("image: snapshots.qcow2\nfile format: qcow2\nvirtual size: 4 MiB (4194304 bytes)\n"))
        #expect(text.contains("cluster_size: 65536"))
        #expect(text.contains("Snapshot list:"))
        #expect(text.contains("first") && text.contains("third"))
        #expect(text.contains("l1_table_offset"))
        #expect(text.contains("Findings: none"))
    }

    @Test func backingAndLUKSSections() throws {
        let top = try Self.open("chain-mid.qcow2")
        let text = InfoReport(image: top, filename: "dir/chain-mid.qcow2", chain: BackingChain.open(top: top)).text()
        #expect(text.contains("backing file: chain-base.raw (actual path: dir/chain-base.raw)"))
        #expect(text.contains("backing file format: raw"))
        #expect(text.contains("Backing chain:"))
        let luks = InfoReport(image: try Self.open("luks.qcow2")).text()
        #expect(luks.contains("Encryption: LUKS version 1"))
        #expect(luks.contains("xts-plain64"))
        #expect(luks.contains("qemu: aes-256"))
    }

    @Test func humanSizes() {
        #expect(Formatted.humanSize(0) == "0 B")
        #expect(Formatted.humanSize(200_704) == "196 KiB")
        #expect(Formatted.humanSize(1 << 30) == "1 GiB")
        #expect(Formatted.humanSize(1_249_280) == "1.19 MiB")
        #expect(Formatted.humanSize(1_024_000) == "0.977 MiB")
        #expect(Formatted.humanSize(10_485_760) == "10 MiB")
        #expect(Formatted.clock(3_723_004_000_000) == "01:02:03.004")
    }

    /// Image text with terminal escapes never reaches the output raw.
    @Test func hostileNamesAreEscaped() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qcowscope-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: InfoFixtureTests.root + "/images/chain-mid.qcow2")))
        // Rewrite the backing name (same length, 14 bytes) and the backing format with escapes.
        let nameOffset = Int(bytes[8...15].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        let hostile: [UInt8] = [0x1B, 0x5D, 0x30, 0x3B, 0x70, 0x77, 0x6E, 0x07, 0x1B, 0x5B, 0x32, 0x4A, 0x9B, 0x41]
        bytes.replaceSubrange(nameOffset..<nameOffset + 14, with: hostile)
        let path = dir.appendingPathComponent("evil.qcow2").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let image = try Qcow2Image(path: path)
        let report = InfoReport(image: image, chain: BackingChain.open(top: image))
        let text = report.text()
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
        #expect(text.contains("\\x1b]0;pwn\\x07"))
        let json = report.json().rendered()
        #expect(!json.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(json.contains("\\u001b]0;pwn\\u0007"))
    }
}
