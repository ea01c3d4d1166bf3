import Foundation
import Testing
import TestSupport

/// Every command's JSON over HTTP, HTTPS and NBD equals the local file's, on every fixture,
/// chains included (issue 13); `map` equals qemu-img's map of the same URL.
@Suite(.serialized, .enabled(if: Nginx.available && Tools.qcowscope != nil))
struct EqualityTests {
    @Test func everyCommandOverHTTPEqualsTheLocalFile() throws {
        let nginx = try Nginx(serving: Compare.images)
        defer { nginx.stop() }
        let differences = Compare.all(base: nginx.httpBase, commands: Compare.commands.filter { $0[0] != "map" }, holes: false)
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }

    /// Tables fetched together go several to a request (a multipart/byteranges answer): the
    /// snapshot image's L2 tables come in one, and the report is the local file's.
    @Test func tablesFetchedTogetherShareARequest() throws {
        let nginx = try Nginx(serving: Compare.images)
        defer { nginx.stop() }
        let differences = try Compare.differences(["check", "--json"], "snapshots.qcow2", base: nginx.httpBase)
        #expect(differences.isEmpty, "\(differences)")
        usleep(200_000)
        let requests = nginx.requests()
        #expect(requests.contains { $0.status == 206 && $0.range.contains(",") }, "\(requests)")
    }

    @Test(.enabled(if: Tools.qemu)) func mapOverHTTPEqualsQemuImgOverItsCurlDriver() throws {
        let nginx = try Nginx(serving: Compare.images)
        defer { nginx.stop() }
        var differences: [String] = []
        for name in Compare.fixtures { differences += try Compare.mapDifferences(nginx.httpBase + name) }
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }

    @Test func httpsWithTheTestCertificate() throws {
        let nginx = try Nginx(serving: Compare.images)
        defer { nginx.stop() }
        let differences = Compare.all(base: nginx.httpsBase, fixtures: ["chain-top.qcow2", "snapshots.qcow2"],
                                      commands: [["info", "--json", "--backing-chain"], ["check", "--json"]],
                                      environment: ["CURL_CA_BUNDLE": nginx.certificate])
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        // Without the certificate the server is not trusted, unless --insecure; --cacert names it too.
        let url = nginx.httpsBase + "zstd.qcow2"
        let refused = try Compare.run(["info", url], environment: ["CURL_CA_BUNDLE": ""])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains(url) && refused.stderr.contains("certificate"), "\(refused.stderr)")
        #expect(try Compare.run(["info", "--insecure", url], environment: ["CURL_CA_BUNDLE": ""]).status == 0)
        #expect(try Compare.run(["info", "--cacert", nginx.certificate, url], environment: ["CURL_CA_BUNDLE": ""]).status == 0)
    }

    /// nbdkit's file plugin serves the whole directory, so chains resolve to exports beside them.
    @Test(.enabled(if: NBDServer.nbdkit)) func commandsOverNBDEqualTheLocalFile() throws {
        let server = try NBDServer(nbdkitDirectory: Compare.images)
        defer { server.stop() }
        let commands = Compare.commands.filter { !["map", "frag"].contains($0[0]) }
        let differences = Compare.all(base: server.url, commands: commands)
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }

    /// qemu-nbd exports one file (sizes are multiples of 512: qemu-nbd rounds an export up to it).
    @Test(.enabled(if: NBDServer.qemuNBD), arguments: [false, true])
    func qemuNBDOnTCPAndUnixSocket(unix: Bool) throws {
        for name in ["zlib.qcow2", "corrupt-leak.qcow2"] {
            let server = try NBDServer(qemuNBD: Compare.images + "/" + name, export: name, unix: unix)
            defer { server.stop() }
            for command in [["info", "--json"], ["check", "--json"], ["layout", "--json"]] {
                let local = try Compare.local(command + [name])
                let remote = try Compare.run(command + [server.url])
                #expect(local.status == remote.status, "\(command) \(server.url): \(remote.stderr)")
                let ours = try JSONParser.parse(remote.stdout.replacingOccurrences(of: server.url, with: name))
                let theirs = removingKey("actual-size", from: try JSONParser.parse(local.stdout))
                let differences = jsonDifferences(ours, theirs)
                #expect(differences.isEmpty, "\(command) \(server.url): \(differences.prefix(5))")
            }
        }
    }
}
