import Foundation
import Testing

/// Reads that fail — `EIO`, or a read that comes back short before the end of the file — under
/// every command and every explorer view (`render`): each run degrades to a report with the
/// failure as a finding and exit 2 (`check`: qemu-img's 1, check-errors), never a crash, a hang
/// or a report without its error. The faults are put in front of the image by the binary itself
/// (`QCOWSCOPE_INJECT_FAULTS`, a ``FaultySource`` over the file), at structures of the demo image
/// (4 KiB clusters): an active L2 table, the snapshot table, a bitmap table, a refcount block.
@Suite struct FaultInjectionTests {
    static let image = Paths.root.appendingPathComponent("Demo/demo.qcow2").path
    static let l2 = 0x41000, snapshotTable = 0xac000, bitmapTable = 0xad000, refcountBlock = 0x2000

    /// The structure each command reads, where a failing read must show: command → fault offset.
    static let readBy: [(arguments: [String], offset: Int)] = [
        (["info"], snapshotTable), (["info", "--json"], snapshotTable),
        (["check"], l2), (["check", "--json"], l2), (["check", "--json"], refcountBlock),
        (["map", "--json"], l2),
        (["layout"], l2), (["layout", "--json"], refcountBlock), (["frag"], l2), (["frag", "--json"], snapshotTable),
        (["snapshots"], l2), (["snapshots", "--json"], snapshotTable),
        (["bitmaps"], bitmapTable), (["bitmaps", "--json"], bitmapTable),
    ]

    static func runner(_ binary: String, faults: String) throws -> Runner {
        var runner = try Runner(binary: binary)
        runner.extraEnvironment = ["QCOWSCOPE_INJECT_FAULTS=\(faults)"]
        return runner
    }

    @Test(arguments: ["eio", "short"])
    func everyCommandReportsTheFailedRead(fault: String) throws {
        let binary = try #require(Paths.binary, "qcowscope not found beside the tests; build it or set QCOWSCOPE_BIN")
        for (arguments, offset) in Self.readBy {
            // A short read cuts the structure 4 bytes in, inside its first entry.
            let at = fault == "short" ? offset + 4 : offset
            let runner = try Self.runner(binary, faults: "\(fault)@\(at)")
            defer { runner.cleanUp() }
            let r = runner.run(arguments + [Self.image], slot: 0)
            let command = r.commandLine + " with \(fault)@\(hex(at))"
            #expect(Verdict.problems(r).isEmpty, "\(command): \(Verdict.problems(r))")
            let expected: Int32 = arguments[0] == "check" ? 1 : 2
            #expect(r.status == expected, "\(command): status \(r.status.map(String.init) ?? "signal \(r.signal ?? 0)")")
            #expect(!r.stdout.isEmpty, "\(command): no report")
            let said = String(decoding: r.stdout + r.stderr, as: UTF8.self)
            #expect(said.contains("read failed") || said.contains("short read") || said.contains("could not be read")
                    || said.contains("read-error") || said.contains("failed to read"), "\(command): the failed read is not named")
        }
    }

    /// Every view, every command, over each fault: no crash, no hang, the exit policy holds.
    @Test func everyViewAndCommandSurvivesEveryFault() throws {
        let binary = try #require(Paths.binary, "qcowscope not found beside the tests; build it or set QCOWSCOPE_BIN")
        let offsets = [Self.l2, Self.snapshotTable, Self.bitmapTable, Self.refcountBlock, 0x3000]
        let faults = offsets.flatMap { ["eio@\($0)", "short@\($0 + 4)"] }.joined(separator: ",")
        let runner = try Self.runner(binary, faults: faults)
        defer { runner.cleanUp() }
        let commands = Commands(runner: runner)
        #expect(!commands.views.isEmpty)
        let results = runner.runAll(commands.jobs(for: Self.image))
        Verdict.record(results)
        for r in results {
            #expect(r.signal == nil && !r.timedOut, "\(r.commandLine): signal \(r.signal ?? 0)")
            #expect(r.status != 0, "\(r.commandLine): status 0 although reads failed")
        }
    }
}

private func hex(_ value: Int) -> String { "0x" + String(value, radix: 16) }
