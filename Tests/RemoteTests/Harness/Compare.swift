import Foundation
import Synchronization
import TestSupport

/// Runs qcowscope on a local fixture and on the same file over a URL, and says how the answers
/// differ once the names are made comparable: the URL prefix taken off the remote answer (names
/// are the URLs, as qemu-img reports them), `actual-size` taken out of the local one (qemu-img
/// omits it remotely).
enum Compare {
    static let images = FixturePaths.root + "/images"

    /// The qcow2 fixtures, sorted.
    static var fixtures: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: images)) ?? []).filter { $0.hasSuffix(".qcow2") }.sorted()
    }

    /// Every command that prints JSON, with the options that make it deterministic.
    static let commands: [[String]] = [
        ["info", "--json"], ["info", "--json", "--backing-chain"], ["check", "--json"], ["map", "--json"],
        ["layout", "--json"], ["frag", "--json"], ["snapshots", "--json"], ["bitmaps", "--json"], ["space", "--json"],
        ["vet", "--json"],
    ]

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Output {
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in extra { environment[k] = v }
        let r = try Subprocess.run("/usr/bin/timeout", ["60", Tools.qcowscope ?? "qcowscope"] + arguments, in: images,
                                   environment: environment)
        return Output(status: r.status, stdout: r.stdoutText, stderr: r.stderrText)
    }

    /// Local answers, each asked once per test run (every server's test compares with them).
    private static let localAnswers = Mutex<[[String]: Output]>([:])

    static func local(_ arguments: [String]) throws -> Output {
        if let known = localAnswers.withLock({ $0[arguments] }) { return known }
        let answer = try run(arguments)
        localAnswers.withLock { $0[arguments] = answer }
        return answer
    }

    /// Keys whose value depends on which parts of the image file are holes in the host file
    /// system (QEMU's file driver asks with SEEK_DATA): an HTTP server cannot tell, so over HTTP
    /// `frag`'s compacted sizes count those clusters as data, as qemu-img's curl driver sees them.
    static let holeDependent: [String: [String]] = [
        "frag": ["compact-size", "compact-size-same-cluster-size", "band", "compacting-shrinks"],
    ]

    /// The differences between `command` on `name` locally and at `base + name`; empty when equal.
    static func differences(_ command: [String], _ name: String, base: String, holes: Bool = true,
                            environment: [String: String] = [:]) throws -> [String] {
        let local = try local(command + [name])
        let remote = try run(command + [base + name], environment: environment)
        var out: [String] = []
        if local.status != remote.status {
            out.append("exit status \(local.status) locally, \(remote.status) remotely: \(remote.stderr.prefix(400))")
        }
        if local.status != 1 || remote.status != 1 {
            do {
                var ours = try JSONParser.parse(remote.stdout.replacingOccurrences(of: base, with: ""))
                var theirs = removingKey("actual-size", from: try JSONParser.parse(local.stdout))
                if !holes {
                    for key in holeDependent[command[0]] ?? [] {
                        ours = removingKey(key, from: ours)
                        theirs = removingKey(key, from: theirs)
                    }
                }
                out += jsonDifferences(ours, theirs).prefix(5)
            } catch {
                out.append("unparsable JSON: \(error) (stderr: \(remote.stderr.prefix(300)))")
            }
        }
        return out.map { "\(command.joined(separator: " ")) \(name) at \(base): \($0)" }
    }

    /// ``differences`` of every command on every fixture, run concurrently.
    static func all(base: String, fixtures: [String] = fixtures, commands: [[String]] = commands, holes: Bool = true,
                    environment: [String: String] = [:]) -> [String] {
        let jobs = fixtures.flatMap { f in commands.map { (f, $0) } }
        let results = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            let (fixture, command) = jobs[i]
            let found = (try? differences(command, fixture, base: base, holes: holes, environment: environment))
                ?? ["\(fixture): could not run"]
            results.withLock { $0 += found }
        }
        return results.withLock { $0 }.sorted()
    }

    /// `map --json` at `url` against `qemu-img map --output=json` of the same URL (QEMU's curl or
    /// nbd driver): over HTTP neither can see the host file's holes, so the local map is not the
    /// oracle there, qemu-img remotely is.
    static func mapDifferences(_ url: String) throws -> [String] {
        let ours = try run(["map", "--json", url])
        let qemu = try Subprocess.run("/usr/bin/timeout", ["120", "qemu-img", "map", "--output=json", url], in: images)
        // qemu-img refuses some fixtures (damaged, LUKS without a secret): nothing to compare with.
        guard qemu.status == 0 else { return [] }
        let differences = jsonDifferences(try JSONParser.parse(ours.stdout), try JSONParser.parse(qemu.stdoutText))
        return differences.prefix(5).map { "map \(url): \($0)" }
    }
}
