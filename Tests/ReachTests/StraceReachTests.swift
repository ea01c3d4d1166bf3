import Foundation
import Synchronization
import Testing
import TestSupport

/// Every report command and every view (`render`; the explorer itself in ``StraceExplorerTests``),
/// on images whose backing and data files are named /etc/passwd, ../../x, /dev/zero, a FIFO, a
/// symbolic link out of the directory and http://127.0.0.1:PORT/x, run under
/// `strace -f -e trace=%file,%network`: no such path is opened (nor even looked at, outside the
/// directory), and no connection is made (issue 17).
@Suite struct StraceReachTests {
    static let available = Tools.qemu && Tools.find("strace") != nil && QcowscopeBinary.path != nil

    /// Report commands run on every image; `render --view` runs every view on a share of them.
    static let commands: [[String]] = [
        ["info"], ["info", "--backing-chain"], ["check"], ["map"], ["layout"], ["frag"], ["snapshots"], ["bitmaps"],
        ["space"], ["diff"], ["diff", "--layers"], ["vet"],
    ]

    @Test(.enabled(if: available)) func noCommandReachesBeyondTheImage() throws {
        let fixtures = try ReachFixtures()
        defer { fixtures.cleanUp() }
        let binary = try #require(QcowscopeBinary.path)
        let views = try Self.views()
        #expect(views.count >= 5, "render --help lists no views")
        var jobs: [[String]] = []
        for (i, image) in ReachFixtures.reaching.enumerated() {
            jobs += Self.commands.map { $0 + [fixtures.path(image)] }
            // Each view on two of the images, in turn, so every view meets backing and data file names.
            for (j, view) in views.enumerated() where (j + i) % (ReachFixtures.reaching.count / 2) == 0 {
                jobs.append(["render", "--view", view, fixtures.path(image)])
            }
        }
        // survey walks the whole directory: the FIFO and the link out are entries it meets, and
        // every image's names are judged against the surveyed tree.
        jobs.append(["survey", "--jobs", "1", "--json", fixtures.images])
        let runs = try Self.trace(jobs, binary: binary, in: fixtures)
        #expect(runs.count == jobs.count)
        for run in runs {
            let command = run.job.joined(separator: " ")
            #expect(run.status != -1 && run.status < 124 && !run.trace.isEmpty, "\(command): status \(run.status), no trace")
            for problem in Self.problems(in: run.trace) {
                Issue.record("qcowscope \(command): \(problem)")
            }
        }
        #expect(!fixtures.listener.wasConnected, "something connected to 127.0.0.1:\(fixtures.listener.port)")
    }

    /// Runs each job under strace in the images' directory, several at once; the traces come back.
    static func trace(_ jobs: [[String]], binary: String, in fixtures: ReachFixtures) throws -> [(job: [String], status: Int32, trace: String)] {
        let logs = fixtures.directory + "/logs"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let results = Mutex<[(job: [String], status: Int32, trace: String)]>([])
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            let log = "\(logs)/\(i).trace"
            let status = (try? Tools.run(["timeout", "60", "strace", "-f", "-qq", "-e", "trace=%file,%network", "-o", log,
                                          binary] + jobs[i], in: fixtures.images).status) ?? -1
            let trace = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            results.withLock { $0.append((jobs[i], status, trace)) }
        }
        return results.withLock { $0 }
    }

    /// The explorer views, from `qcowscope render --help` ("The view: header, host, ...").
    static func views() throws -> [String] {
        let help = try QcowscopeBinary.run(["render", "--help"])
        let flat = (help.stdout + help.stderr).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        guard let start = flat.range(of: "The view:")?.upperBound else { return [] }
        let rest = flat[start...]
        let list = rest[..<(rest.range(of: "(default")?.lowerBound ?? rest.endIndex)]
        return list.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " .")) }
            .filter { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0 == "-" } }
    }

    /// What a trace shows reaching too far: a system call whose path is /etc/passwd, /dev/zero,
    /// ../../x or the file the symbolic link points at (not even a stat: the decision is made
    /// without looking outside), an open of the FIFO (a stat is how it is refused), and any
    /// Internet socket at all.
    static func problems(in trace: String) -> [String] {
        var out: [String] = []
        for line in trace.split(separator: "\n") {
            guard let call = line.split(separator: " ", maxSplits: 1).last, let open = call.firstIndex(of: "(") else { continue }
            let name = call[..<open]
            if line.contains("AF_INET") { out.append("uses the network: \(line)"); continue }
            guard let path = Self.firstString(in: call[open...]) else { continue }
            if ["/etc/passwd", "/dev/zero", "../../x", "secret.raw"].contains(where: { path.contains($0) }) {
                out.append("looks outside its directory: \(line)")
            } else if path.hasSuffix("pipe.fifo"), name.hasPrefix("open") {
                out.append("opens the FIFO: \(line)")
            }
        }
        return out
    }

    /// The first "quoted" argument of a traced call: its path, for every %file call.
    private static func firstString(in arguments: Substring) -> Substring? {
        guard let start = arguments.firstIndex(of: "\"") else { return nil }
        let rest = arguments[arguments.index(after: start)...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return rest[..<end]
    }
}
