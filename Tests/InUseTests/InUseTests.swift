import Foundation
import Testing
import TestSupport
import Reports

/// Images in use (issue 12): a real QEMU writes while qcowscope reads. Nothing may crash or hang,
/// nothing may be called corrupt, the allocation seen grows monotonically, and once the writer has
/// stopped it is exactly what `qemu-img check` finds. A held lock marks the image `in-use`.
@Suite(.enabled(if: Tools.qemu && Tools.find("qemu-nbd") != nil && QcowscopeBinary.path != nil))
struct InUseTests {
    /// A fresh 64 MiB image with 64 KiB clusters in its own directory.
    static func makeImage(options: [String] = []) throws -> (directory: String, image: String) {
        let directory = try Tools.temporaryDirectory("qcowscope-inuse")
        let image = directory + "/vm.qcow2"
        let made = try Tools.run(["qemu-img", "create", "-q", "-f", "qcow2"] + options + [image, "64M"], in: directory)
        try #require(made.status == 0, "\(made.stderr)")
        return (directory, image)
    }

    /// `qcowscope ARGS` (killed after 20 s: a hang fails the test instead of the suite).
    static func qcowscope(_ arguments: [String], in directory: String) throws -> Tools.Output {
        let binary = try #require(QcowscopeBinary.path)
        return try Tools.run(["timeout", "20", binary] + arguments, in: directory)
    }

    static func number(_ value: JSONValue?) -> UInt64 {
        switch value {
        case .uint(let u): u
        case .int(let i): UInt64(max(0, i))
        default: 0
        }
    }

    /// Runs `check --json` over and over while `writer` writes; returns the allocations seen.
    static func checkWhileWriting(_ writer: QemuWriter, directory: String, image: String,
                                  seconds: Double) throws -> (allocations: [UInt64], sawInUse: Bool, sawExpected: Bool) {
        var allocations: [UInt64] = []
        var sawInUse = false
        var sawExpected = false
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            let out = try qcowscope(["check", "--json", image], in: directory)
            #expect(out.status == 0, "check of an image in use failed: \(out.status) \(out.stderr) \(out.stdout.prefix(2000))")
            let json = try JSONParser.parse(out.stdout)
            #expect(json["corruptions"] == nil, "spurious corruption: \(out.stdout.prefix(2000))")
            #expect(json["check-errors"] == .uint(0) || json["check-errors"] == .int(0))
            if json["in-use"] == .bool(true) { sawInUse = true }
            if json["in-use-expected"] != nil { sawExpected = true }
            allocations.append(number(json["allocated-clusters"]))
        }
        return (allocations, sawInUse, sawExpected)
    }

    /// After the writer: the image is at rest, and qcowscope's check equals qemu-img's.
    static func expectAtRestAndEqualToQemu(directory: String, image: String, last: UInt64) throws {
        let ours = try qcowscope(["check", "--json", image], in: directory)
        #expect(ours.status == 0, "\(ours.stderr)")
        let json = try JSONParser.parse(ours.stdout)
        #expect(json["in-use"] == nil)
        let qemu = try Tools.run(["qemu-img", "check", "--output=json", image], in: directory)
        let theirs = try JSONParser.parse(qemu.stdout)
        #expect(number(json["allocated-clusters"]) == number(theirs["allocated-clusters"]))
        #expect(number(json["allocated-clusters"]) >= last)
        #expect(number(json["allocated-clusters"]) > 0)
    }

    /// With lazy refcounts QEMU writes refcounts only on close: every cluster allocated while it
    /// runs has a refcount too low on disk, which `check` sets aside as expected (exit 0).
    @Test func checkReadsAnImageQemuIOIsWriting() throws {
        let (directory, image) = try Self.makeImage(options: ["-o", "lazy_refcounts=on"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = QemuWriter(directory: directory, image: image)
        try writer.start(.qemuIO, count: 40, pause: 0.05)
        let (allocations, sawInUse, sawExpected) = try Self.checkWhileWriting(writer, directory: directory, image: image, seconds: 2.5)
        writer.wait(seconds: 20)
        #expect(sawInUse)
        #expect(sawExpected)
        #expect(allocations == allocations.sorted(), "allocation went down: \(allocations)")
        try Self.expectAtRestAndEqualToQemu(directory: directory, image: image, last: allocations.last ?? 0)
    }

    @Test func checkAndRenderReadAnImageQemuNBDServesToAWriter() throws {
        let (directory, image) = try Self.makeImage()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = QemuWriter(directory: directory, image: image)
        try writer.start(.nbd, count: 100, pause: 0.05)
        let (allocations, sawInUse, _) = try Self.checkWhileWriting(writer, directory: directory, image: image, seconds: 1.5)
        // The explorer's views, drawn whole, while the writer goes on.
        for view in ["header", "host", "check"] {
            let out = try Self.qcowscope(["render", "--view", view, image], in: directory)
            #expect(out.status == 0 || out.status == 2, "\(view): \(out.status) \(out.stderr)")
            #expect(!out.stdout.contains("corrupt"), "\(view): \(out.stdout)")
            #expect(out.stdout.contains("in use"), "\(view) does not say in use: \(out.stdout)")
        }
        writer.wait(seconds: 20)
        #expect(sawInUse)
        #expect(allocations == allocations.sorted(), "allocation went down: \(allocations)")
        try Self.expectAtRestAndEqualToQemu(directory: directory, image: image, last: allocations.last ?? 0)
    }

    /// `--watch` without a terminal: one line per round, allocation growing while qemu-io writes,
    /// never a corruption; at rest the rounds reuse the previous scan and end at qemu-img's count.
    @Test func watchLinesFollowAWriter() throws {
        let (directory, image) = try Self.makeImage()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = QemuWriter(directory: directory, image: image)
        try writer.start(.qemuIO, count: 60, pause: 0.05)
        let live = try Self.qcowscope([image, "--watch", "0.3", "--watch-count", "6"], in: directory)
        writer.wait(seconds: 20)
        #expect(live.status == 0, "\(live.stderr)")
        let rounds = Self.watchLines(live.stdout)
        #expect(rounds.count == 6)
        let allocations = rounds.compactMap { $0["allocated-clusters"].flatMap(UInt64.init) }
        #expect(allocations == allocations.sorted() && allocations.count == 6, "\(live.stdout)")
        #expect(rounds.allSatisfy { $0["corruptions"] == "0" && $0["check-errors"] == "0" }, "\(live.stdout)")
        #expect(rounds.contains { $0["in-use"] == "yes" })

        let rest = try Self.qcowscope(["--watch", "--watch-count", "2", image], in: directory)
        let still = Self.watchLines(rest.stdout)
        #expect(still.map { $0["reused"] } == ["no", "yes"], "\(rest.stdout)")
        let qemu = try JSONParser.parse(try Tools.run(["qemu-img", "check", "--output=json", image], in: directory).stdout)
        #expect(still.last?["allocated-clusters"] == String(Self.number(qemu["allocated-clusters"])))
        #expect((allocations.last ?? 0) <= Self.number(qemu["allocated-clusters"]))
    }

    /// `key=value` lines as dictionaries.
    static func watchLines(_ text: String) -> [[String: String]] {
        text.split(separator: "\n").map { line in
            Dictionary(line.split(separator: " ").compactMap { pair -> (String, String)? in
                let kv = pair.split(separator: "=", maxSplits: 1)
                return kv.count == 2 ? (String(kv[0]), String(kv[1])) : nil
            }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// A running qemu-nbd holds the lock: every JSON report says `in-use: true`; at rest none does.
    @Test func aHeldLockMarksEveryJSONReport() throws {
        let (directory, image) = try Self.makeImage()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let commands = [["info"], ["check"], ["frag"], ["snapshots"], ["bitmaps"]]
        for command in commands {
            let out = try Self.qcowscope(command + ["--json", image], in: directory)
            #expect(!out.stdout.contains("\"in-use\": true"), "\(command) at rest")
        }
        #expect(try Self.qcowscope(["vet", image], in: directory).status == 0, "vet at rest")
        let writer = QemuWriter(directory: directory, image: image)
        try writer.start(.nbd, count: 1, pause: 30)
        defer { writer.stop() }
        try #require(writer.isLocked())
        for command in commands {
            let out = try Self.qcowscope(command + ["--json", image], in: directory)
            let json = try JSONParser.parse(out.stdout)
            #expect(json["in-use"] == .bool(true), "\(command): \(out.stdout.prefix(500))")
        }
        // vet: no verdict on a file that changes while it is read.
        let vet = try Self.qcowscope(["vet", "--json", image], in: directory)
        #expect(vet.status == 3, "vet of an image in use: \(vet.status) \(vet.stdout.prefix(500))")
        #expect(vet.stdout.contains("\"code\": \"in-use\""), "\(vet.stdout.prefix(500))")
    }
}
