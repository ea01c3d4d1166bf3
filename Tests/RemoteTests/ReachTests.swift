import Foundation
import Testing
import TestSupport

/// A remote image's backing names reach only its own server: a local path, a `file:` URL or
/// another host is refused as a finding and never opened or requested; a relative name is
/// fetched beside the image, as QEMU resolves it.
@Suite(.enabled(if: Nginx.available && Tools.qemu && Tools.qcowscope != nil))
struct ReachTests {
    @Test func namesOffTheServerAreRefusedAndNeverRequested() throws {
        let dir = try Tools.temporaryDirectory("qcowscope-reach")
        let names = ["local": "/etc/hostname", "file": "file:///etc/hostname", "host": "http://127.0.0.2:9/base.raw",
                     "relative": "sub/../base.raw"]
        #expect(try Tools.run(["qemu-img", "create", "-q", "-f", "raw", "base.raw", "1M"], in: dir).status == 0)
        for (label, backing) in names {
            let r = try Tools.run(["qemu-img", "create", "-q", "-f", "qcow2", "-u", "-b", backing, "-F", "raw", label + ".qcow2", "1M"], in: dir)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let nginx = try Nginx(serving: dir)
        defer { nginx.stop() }
        for label in ["local", "file", "host"] {
            nginx.clearLog()
            let r = try Compare.run(["info", "--json", "--backing-chain", nginx.httpBase + label + ".qcow2"])
            #expect(r.stdout.contains("not on the remote image's server"), "\(label): \(r.stdout.prefix(2000))")
            #expect(!r.stdout.contains("\"depth\": 1"), "\(label): no backing layer was opened")
            usleep(200_000)
            #expect(nginx.requests().allSatisfy { $0.path == "/\(label).qcow2" }, "\(label): \(nginx.requests())")
        }
        let relative = try Compare.run(["info", "--json", "--backing-chain", nginx.httpBase + "relative.qcow2"])
        #expect(relative.status == 0, "\(relative.stderr)")
        #expect(relative.stdout.contains(nginx.httpBase + "sub/../base.raw"))
    }
}
