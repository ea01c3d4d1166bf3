import Foundation
import Testing
import TestSupport

/// Every command, every view and the explorer on remote images (nginx on 127.0.0.1) whose backing
/// and data files are named /etc/passwd, /dev/zero, file:///etc/passwd, http://127.0.0.1:PORT/x
/// (another port) and http://127.0.0.2:SAMEPORT/x (another host), under
/// `strace -f -e trace=%file,%network` (``StraceRun``, as ReachTests run them locally): no such path
/// is opened or looked at, no connection goes anywhere but the image's server, the server is asked
/// for nothing but the image, and `vet` gives each image the codes it gives the same file locally
/// (issue 17, same-server rule; issue 13).
@Suite(.enabled(if: Nginx.available && Tools.qemu && StraceRun.available && Tools.find("script") != nil))
struct StraceRemoteTests {
    /// The images and vet's codes for each, in order: off the server is `leaves-directory`, as a
    /// local name out of the image's directory is.
    static let expected: [(image: String, codes: [String])] = [
        ("backing-etc-passwd.qcow2", ["backing-file", "backing-file-absolute", "backing-file-leaves-directory"]),
        ("data-etc-passwd.qcow2", ["data-file", "data-file-absolute", "data-file-leaves-directory"]),
        ("backing-dev-zero.qcow2", ["backing-file", "backing-file-absolute", "backing-file-device", "backing-file-leaves-directory"]),
        ("data-dev-zero.qcow2", ["data-file", "data-file-absolute", "data-file-device", "data-file-leaves-directory"]),
        ("backing-file-scheme.qcow2", ["backing-file", "backing-file-url"]),
        ("data-file-scheme.qcow2", ["data-file", "data-file-url"]),
        ("backing-url.qcow2", ["backing-file", "backing-file-url"]),
        ("data-url.qcow2", ["data-file", "data-file-url"]),
        ("backing-other-host.qcow2", ["backing-file", "backing-file-url"]),
        ("data-other-host.qcow2", ["data-file", "data-file-url"]),
    ]

    @Test func noCommandReachesBeyondTheServer() throws {
        let fixtures = try ReachFixtures()
        defer { fixtures.cleanUp() }
        let nginx = try Nginx(serving: fixtures.images)
        defer { nginx.stop() }
        // Another host on the server's own port: only the host tells it apart.
        let other = "http://127.0.0.2:\(nginx.httpPort)/x"
        #expect(try Tools.run(["qemu-img", "create", "-q", "-f", "qcow2", "-u", "-b", other, "-F", "raw",
                               "backing-other-host.qcow2", "1M"], in: fixtures.images).status == 0)
        #expect(try Tools.run(["cp", "data-url.qcow2", "data-other-host.qcow2"], in: fixtures.images).status == 0)
        #expect(try Tools.run(["python3", FixturePaths.root + "/qcow2tool.py", "set-data-file-name", "data-other-host.qcow2", other],
                              in: fixtures.images).status == 0)
        let binary = try #require(QcowscopeBinary.path)
        let views = try StraceRun.views()
        #expect(views.count >= 5, "render --help lists no views")
        var jobs: [[String]] = []
        for (i, c) in Self.expected.enumerated() {
            let url = nginx.httpBase + c.image
            jobs += StraceRun.commands.filter { $0 != ["vet"] }.map { $0 + [url] }
            jobs.append(["vet", "--json", "--stats", "--timeout", "20", url])
            // Each view on two of the images, in turn.
            for (j, view) in views.enumerated() where (j + i) % (Self.expected.count / 2) == 0 {
                jobs.append(["render", "--view", view, url])
            }
        }
        let logs = fixtures.directory + "/logs"
        var runs = try StraceRun.trace(jobs, binary: binary, in: fixtures.images, logs: logs)
        runs += try StraceRun.explore(Self.expected.map { nginx.httpBase + $0.image }, binary: binary, in: fixtures.images, logs: logs)
        #expect(runs.count == jobs.count + Self.expected.count)
        for run in runs {
            let reached = run.trace.contains("sin_port=htons(\(nginx.httpPort))")
            #expect(run.status != -1 && run.status < 124 && reached, "\(run.command): status \(run.status), trace \(run.trace.prefix(300))")
            for problem in StraceRun.problems(in: run.trace, serverPort: nginx.httpPort) {
                Issue.record("qcowscope \(run.command): \(problem)")
            }
        }
        #expect(!fixtures.listener.wasConnected, "something connected to 127.0.0.1:\(fixtures.listener.port)")
        usleep(200_000)
        let asked = Set(nginx.requests().map(\.path))
        #expect(asked.isSubset(of: Set(Self.expected.map { "/" + $0.image })), "requests beyond the images: \(asked.sorted())")
        try checkVet(runs.filter { $0.job.first == "vet" }, fixtures: fixtures, base: nginx.httpBase)
    }

    /// vet's codes over HTTP: the expected ones, the same as the local file's, with `--stats` counted.
    private func checkVet(_ runs: [StraceRun.Run], fixtures: ReachFixtures, base: String) throws {
        #expect(runs.count == Self.expected.count)
        for run in runs {
            let image = String(run.job.last?.dropFirst(base.count) ?? "")
            let expected = Self.expected.first { $0.image == image }?.codes
            let local = try QcowscopeBinary.run(["vet", "--json", fixtures.path(image)])
            #expect(run.status == 3 && local.status == 3, "vet \(image): \(run.status) remotely, \(local.status) locally")
            #expect(Self.codes(run.stdout) == expected, "vet \(image) remotely: \(Self.codes(run.stdout))")
            #expect(Self.codes(local.stdout) == expected, "vet \(image) locally: \(Self.codes(local.stdout))")
            #expect(run.stderr.contains("remote:") && run.stderr.contains("request"), "vet --stats \(image): \(run.stderr)")
        }
    }

    /// The codes of `vet --json`'s reasons, in order.
    private static func codes(_ json: String) -> [String] {
        guard case .array(let reasons)? = (try? JSONParser.parse(json))?["reasons"] else { return [] }
        return reasons.compactMap { if case .string(let code)? = $0["code"] { code } else { nil } }
    }
}
