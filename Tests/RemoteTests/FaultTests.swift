import Foundation
import Testing
import TestSupport

/// A server that breaks the rules (Tests/RemoteTests/fault-proxy.py): clear errors, no hang
/// beyond the timeout, and a report cut short by a failing connection never passes for complete
/// (exit status 2, standard error naming the structure and offset).
@Suite(.enabled(if: FaultProxy.available && Tools.qcowscope != nil))
struct FaultTests {
    /// Runs qcowscope and how long it took, in seconds.
    func timed(_ arguments: [String]) throws -> (Compare.Output, Double) {
        let start = ContinuousClock.now
        let r = try Compare.run(arguments)
        let d = ContinuousClock.now - start
        return (r, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    @Test func aServerIgnoringRangesIsRefusedAtOnce() throws {
        let proxy = try FaultProxy("ignore-range")
        let (r, seconds) = try timed(["info", proxy.base + "zlib.qcow2"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("answered 200 to a range request") && r.stderr.contains("Accept-Ranges"), "\(r.stderr)")
        #expect(seconds < 10)
    }

    @Test func aStalledServerFailsWithinTheTimeout() throws {
        let proxy = try FaultProxy("stall")
        let (r, seconds) = try timed(["info", "--timeout", "2", proxy.base + "zlib.qcow2"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("Timeout") || r.stderr.contains("timed out"), "\(r.stderr)")
        #expect(seconds < 12, "took \(seconds) s")
    }

    /// The header, refcount table and L1 (chain-top.qcow2's first 0x40000 bytes) are served; its
    /// L2 table and data, and its backing files' past that offset, fail.
    @Test(arguments: ["stall", "close-mid", "short"])
    func aConnectionFailingMidScanLeavesAnIncompleteReport(mode: String) throws {
        let proxy = try FaultProxy(mode, from: 0x40000)
        let (r, seconds) = try timed(["layout", "--json", "--timeout", "2", proxy.base + "chain-top.qcow2"])
        #expect(r.status == 2, "\(mode): \(r.stderr)")
        #expect(r.stderr.contains("incomplete"), "\(mode): \(r.stderr)")
        #expect(r.stderr.contains(" at 0x"), "\(mode): the error names an offset: \(r.stderr)")
        #expect(r.stderr.contains("read-error") || r.stderr.contains("could not be read"), "\(mode): \(r.stderr)")
        // One timeout for a stall (later reads fail at once), a few retries with back-off otherwise.
        #expect(seconds < 15, "\(mode) took \(seconds) s")
    }

    /// A server that answers a request for several ranges with the first alone: the ranges are
    /// asked for one by one from then on, and the report is the one nginx's multipart answers give.
    @Test func aServerWithoutMultipartRangesIsAskedOneRangeAtATime() throws {
        let proxy = try FaultProxy("one-range")
        let differences = Compare.all(base: proxy.base, fixtures: ["snapshots.qcow2", "chain-top.qcow2", "rc64.qcow2"],
                                      commands: [["check", "--json"], ["layout", "--json"]])
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }

    /// `map` cannot print part of a mapping as if it were all of it: nothing on standard output.
    @Test func aMapCutShortPrintsNothing() throws {
        let proxy = try FaultProxy("close-mid", from: 0x40000)
        let (r, _) = try timed(["map", "--json", "--timeout", "2", proxy.base + "chain-top.qcow2"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("0x40000"), "\(r.stderr)")
    }
}
