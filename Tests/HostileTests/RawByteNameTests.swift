import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Backing and external data file names that are not UTF-8 name files by their bytes, as they do
/// for QEMU (C strings): the file with exactly those bytes is opened, never the file whose name is
/// the U+FFFD-repaired string, and the name is shown escaped (`\xff`), never raw.
///
/// Each case puts a decoy beside the real file, named with U+FFFD where the invalid byte is: a
/// reader that went through `String` would open the decoy, which has a different size and content.
@Suite(.serialized) struct RawByteNameTests {
    /// "back\xffing.raw": 0xFF never occurs in UTF-8.
    static let backingName: [UInt8] = Array("back".utf8) + [0xFF] + Array("ing.raw".utf8)
    /// "dat\xfffile.data": the fixture's "datafile.data" with one byte replaced, same length.
    static let dataFileName: [UInt8] = Array("dat".utf8) + [0xFF] + Array("file.data".utf8)

    @Test func backingFileNamedByInvalidUTF8BytesIsOpenedByThoseBytes() throws {
        let binary = try #require(Paths.binary, "qcowscope not found beside the tests; build it or set QCOWSCOPE_BIN")
        let runner = try Runner(binary: binary)
        defer { runner.cleanUp() }
        let dir = runner.scratch.appendingPathComponent("raw-backing")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)

        // base-backed.qcow2 names "backing.raw" (11 bytes at backing_file_offset, zeros after it).
        var top = try Array(Data(contentsOf: Paths.corpus.appendingPathComponent("base-backed.qcow2")))
        let offset = Int(try #require(be64(top, at: 8)))
        #expect(Array(top[offset..<offset + 11]) == Array("backing.raw".utf8))
        #expect(top[(offset + 11)..<(offset + 64)].allSatisfy { $0 == 0 }, "room for the longer name")
        top.replaceSubrange(offset..<offset + Self.backingName.count, with: Self.backingName)
        putBE32(&top, UInt32(Self.backingName.count), at: 16)
        let topPath = dir.appendingPathComponent("top.qcow2").path
        try Data(top).write(to: URL(fileURLWithPath: topPath))

        let backing = try Array(Data(contentsOf: Paths.corpus.appendingPathComponent("base-backing.raw")))
        try #require(createFile(rawPath: Array(dir.path.utf8) + [0x2F] + Self.backingName, contents: backing))
        let decoy = dir.appendingPathComponent(String(decoding: Self.backingName, as: UTF8.self))
        try Data(repeating: 0x55, count: 4096).write(to: decoy)

        let results = runner.runAll([["info", "--backing-chain", "--json", topPath], ["info", topPath],
                                     ["map", "--json", topPath], ["map", topPath], ["info", "--backing-chain", topPath],
                                     ["render", topPath, "--view", "snapshots", "--size", "120x20"],
                                     ["render", topPath, "--view", "guest", "--size", "120x30"]])
        Verdict.record(results)
        for r in results { #expect(r.status == 0, "qcowscope \(r.commandLine): status \(String(describing: r.status))") }

        // The chain reaches the real backing file: 256 KiB, not the 4 KiB decoy.
        let chain = try #require(try JSONSerialization.jsonObject(with: Data(results[0].stdout)) as? [[String: Any]])
        #expect(chain.count == 2, "backing chain: \(chain.count) layers")
        #expect((chain.last?["virtual-size"] as? NSNumber)?.intValue == backing.count)
        #expect((chain.first?["backing-filename"] as? String) == String(decoding: Self.backingName, as: UTF8.self),
                "JSON carries the name as qemu-img does (U+FFFD for the byte)")
        // Text shows the byte escaped and never raw.
        let text = String(decoding: results[1].stdout, as: UTF8.self)
        #expect(text.contains("back\\xffing.raw"), "info text: \(text.prefix(600))")
        #expect(!results[1].stdout.contains(0xFF))
        #expect(!String(decoding: results[1].stdout + results[1].stderr, as: UTF8.self).contains("cannot be opened"))

        // The map reads guest data from the backing file (depth 1), and its File column escapes the name.
        let map = try #require(try JSONSerialization.jsonObject(with: Data(results[2].stdout)) as? [[String: Any]])
        let fromBacking = map.filter { ($0["depth"] as? Int) == 1 && ($0["data"] as? Bool) == true }
        #expect(!fromBacking.isEmpty, "no data from the backing file in \(String(decoding: results[2].stdout, as: UTF8.self).prefix(400))")
        #expect(String(decoding: results[3].stdout, as: UTF8.self).contains("back\\xffing.raw"))
        // The chain's text names the layer by its bytes, escaped, not by the U+FFFD-repaired name.
        let chainText = String(decoding: results[4].stdout, as: UTF8.self)
        #expect(chainText.split(separator: "\n").contains { $0.hasPrefix("image: ") && $0.hasSuffix("/back\\xffing.raw") },
                "info --backing-chain: \(chainText.prefix(800))")
        #expect(!chainText.contains("\u{FFFD}"))
        // The explorer's chain (snapshots view) and guest-map layer names too.
        for r in results[5...] {
            let screen = String(decoding: r.stdout, as: UTF8.self)
            #expect(screen.contains("back\\xffing.raw") && !screen.contains("\u{FFFD}") && !r.stdout.contains(0xFF),
                    "qcowscope \(r.commandLine): \(screen.prefix(800))")
        }

        // The image's own path not UTF-8 on the command line (`qcowscope info *` over Latin-1 names):
        // opened by the argument's bytes, shown escaped. A shell makes the byte; Foundation cannot.
        try #require(createFile(rawPath: Array(dir.path.utf8) + Array("/t".utf8) + [0xFF] + Array("p.qcow2".utf8), contents: top))
        let shell = try Runner(binary: "/bin/sh")
        defer { shell.cleanUp() }
        let raw = shell.run(["-c", #"exec "$0" info --backing-chain "$1/$(printf 't\377p.qcow2')""#, binary, dir.path], slot: 0)
        Verdict.record([raw])
        #expect(raw.status == 0, "info on t\\xffp.qcow2: \(String(decoding: raw.stderr, as: UTF8.self))")
        let rawText = String(decoding: raw.stdout, as: UTF8.self)
        #expect(rawText.contains("image: \(dir.path)/t\\xffp.qcow2"), "\(rawText.prefix(300))")
        #expect(rawText.contains("/back\\xffing.raw"), "its backing file, resolved beside it")
    }

    @Test func externalDataFileNamedByInvalidUTF8BytesIsOpenedByThoseBytes() throws {
        let binary = try #require(Paths.binary, "qcowscope not found beside the tests; build it or set QCOWSCOPE_BIN")
        let fixture = Paths.fixtures.appendingPathComponent("datafile.qcow2")
        guard FileManager.default.fileExists(atPath: fixture.path) else { return }
        let runner = try Runner(binary: binary)
        defer { runner.cleanUp() }
        let dir = runner.scratch.appendingPathComponent("raw-datafile")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)

        var image = try Array(Data(contentsOf: fixture))
        let stored = Array("datafile.data".utf8)
        let at = try #require(firstRange(of: stored, in: image, before: 4096), "the data file name extension")
        image.replaceSubrange(at..<at + stored.count, with: Self.dataFileName)
        let imagePath = dir.appendingPathComponent("image.qcow2").path
        try Data(image).write(to: URL(fileURLWithPath: imagePath))
        let data = try Array(Data(contentsOf: Paths.fixtures.appendingPathComponent("datafile.data")))
        try #require(createFile(rawPath: Array(dir.path.utf8) + [0x2F] + Self.dataFileName, contents: data))
        try Data(repeating: 0x55, count: 4096).write(to: dir.appendingPathComponent(String(decoding: Self.dataFileName, as: UTF8.self)))

        let results = runner.runAll([["map", imagePath], ["map", "--json", imagePath], ["info", imagePath]])
        Verdict.record(results)
        for r in results {
            #expect(r.status == 0, "qcowscope \(r.commandLine): status \(String(describing: r.status))")
            let all = String(decoding: r.stdout + r.stderr, as: UTF8.self)
            #expect(!all.contains("cannot be opened"), "qcowscope \(r.commandLine): \(all.prefix(400))")
            #expect(!(r.stdout + r.stderr).contains(0xFF), "qcowscope \(r.commandLine) wrote the raw byte")
        }
        // The File column names the real data file, escaped (the decoy would show U+FFFD).
        let human = String(decoding: results[0].stdout, as: UTF8.self)
        #expect(human.contains("dat\\xfffile.data"), "map: \(human.prefix(400))")
        #expect(!human.contains("\u{FFFD}"))
    }

    // MARK: helpers

    private func be64(_ bytes: [UInt8], at i: Int) -> UInt64? {
        guard i + 8 <= bytes.count else { return nil }
        return bytes[i..<i + 8].reduce(0) { $0 << 8 | UInt64($1) }
    }

    private func putBE32(_ bytes: inout [UInt8], _ value: UInt32, at i: Int) {
        for k in 0..<4 { bytes[i + k] = UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32(k))) }
    }

    private func firstRange(of needle: [UInt8], in haystack: [UInt8], before end: Int) -> Int? {
        let last = min(end, haystack.count) - needle.count
        guard last >= 0 else { return nil }
        return (0...last).first { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }

    /// Creates a file whose name is exactly `rawPath`'s bytes (Foundation paths are Strings and
    /// cannot hold invalid UTF-8). Test scratch only; qcowscope itself never opens for writing.
    private func createFile(rawPath: [UInt8], contents: [UInt8]) -> Bool {
        let cPath = rawPath.map { CChar(bitPattern: $0) } + [0]
        let fd = open(cPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var done = 0
        while done < contents.count {
            let n = contents[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }
}
