import Foundation
import Testing
@testable import Qcow2
#if canImport(Glibc)
import Glibc
#endif

/// The reach rule (issue 17): names leading outside the top image's directory are refused before
/// anything outside is looked at; symbolic links are followed only while they stay inside.
@Suite struct ReachRuleTests {
    private func decide(_ rule: ReachRule, _ name: String, in dir: String, image: String = "top.qcow2") -> ReachRule.Decision {
        rule.decide(name: Array(name.utf8), relativeTo: Array((dir + "/" + image).utf8))
    }

    private func reason(_ decision: ReachRule.Decision) -> ReachRule.Refusal.Reason? {
        if case .refused(let refusal) = decision { return refusal.reason }
        return nil
    }

    @Test func namesLeavingTheDirectoryAreRefused() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: dir + "/base.qcow2", contents: Data()))
        let rule = ReachRule.imageDirectory
        #expect(decide(rule, "base.qcow2", in: dir) == .allowed(Array((dir + "/base.qcow2").utf8)))
        #expect(decide(rule, "sub/../base.qcow2", in: dir) == .allowed(Array((dir + "/sub/../base.qcow2").utf8)))
        #expect(reason(decide(rule, "/etc/passwd", in: dir)) == .absolute)
        #expect(reason(decide(rule, "/dev/zero", in: dir)) == .absolute)
        #expect(reason(decide(rule, "../../x", in: dir)) == .parent)
        #expect(reason(decide(rule, "..", in: dir)) == .parent)
        #expect(reason(decide(rule, ".", in: dir)) == .parent || reason(decide(rule, ".", in: dir)) == .leavesDirectory)
        #expect(reason(decide(rule, "http://127.0.0.1:1/x", in: dir)) == .url)
        #expect(reason(decide(rule, "file:/etc/passwd", in: dir)) == .url)
        #expect(reason(decide(.anywhere, "json:{}", in: dir)) == .url)
        #expect(decide(.anywhere, "/etc/passwd", in: dir) == .allowed(Array("/etc/passwd".utf8)))
        #expect(reason(decide(.nothing, "base.qcow2", in: dir)) == .notFollowed)
        // An absolute name inside the directory is fine.
        #expect(decide(rule, dir + "/base.qcow2", in: dir) == .allowed(Array((dir + "/base.qcow2").utf8)))
        // A name missing inside the directory: the open's own error.
        #expect(decide(rule, "missing.qcow2", in: dir) == .unresolvable(errno: ENOENT, path: Array((dir + "/missing.qcow2").utf8)))
    }

    @Test func symbolicLinksAreFollowedOnlyInside() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: dir + "/sub/base.qcow2", contents: Data()))
        #expect(symlink("sub/base.qcow2", dir + "/inside") == 0)
        #expect(symlink("/etc/passwd", dir + "/outside") == 0)
        #expect(symlink("..", dir + "/sub/up") == 0)
        #expect(symlink("loop", dir + "/loop") == 0)
        let rule = ReachRule.imageDirectory
        #expect(decide(rule, "inside", in: dir) == .allowed(Array((dir + "/inside").utf8)))
        #expect(reason(decide(rule, "outside", in: dir)) == .symlink)
        #expect(reason(decide(rule, "sub/up/../etc", in: dir)) == .symlink)
        #expect(decide(rule, "sub/up/sub/base.qcow2", in: dir) == .allowed(Array((dir + "/sub/up/sub/base.qcow2").utf8)))
        #expect(decide(rule, "loop", in: dir) == .unresolvable(errno: ELOOP, path: Array((dir + "/loop").utf8)))
        // The boundary can be another directory (survey's root): a deeper image may climb to it.
        #expect(decide(ReachRule(within: dir), "../inside", in: dir + "/sub", image: "x.qcow2")
                == .allowed(Array((dir + "/sub/../inside").utf8)))
        #expect(reason(decide(ReachRule(within: dir + "/sub"), "../inside", in: dir + "/sub", image: "x.qcow2")) == .parent)
    }

    @Test func chainsStopAtTheBoundaryWithAFinding() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        try BackingChainTests.write(dir + "/etc.qcow2", backing: "/etc/passwd", format: "raw")
        let chain = BackingChain.open(top: try Qcow2Image(path: dir + "/etc.qcow2"))
        #expect(chain.layers.count == 1)
        guard case .outsideReach(_, let refusal)? = chain.stop else { Issue.record("stop: \(String(describing: chain.stop))"); return }
        #expect(refusal.reason == .absolute && chain.stop?.stopsQemu == true)
        let message = try #require(chain.findings.last?.message)
        #expect(message.contains("/etc/passwd") && message.contains(ReachRule.allowFlag))
        var anywhere = DecodingLimits()
        anywhere.reach = .anywhere
        #expect(BackingChain.open(top: try Qcow2Image(path: dir + "/etc.qcow2", limits: anywhere)).layers.count == 2)

        // A layer in a subdirectory is held to the top image's directory, not its own.
        try BackingChainTests.write(dir + "/base.qcow2", backing: nil)
        try BackingChainTests.write(dir + "/sub/mid.qcow2", backing: "../base.qcow2")
        try BackingChainTests.write(dir + "/top.qcow2", backing: "sub/mid.qcow2")
        #expect(BackingChain.open(top: try Qcow2Image(path: dir + "/top.qcow2")).layers.count == 3)
        let fromSub = BackingChain.open(top: try Qcow2Image(path: dir + "/sub/mid.qcow2"))
        #expect(fromSub.layers.count == 1)
        #expect({ if case .outsideReach? = fromSub.stop { true } else { false } }())
    }

    @Test func dataFilesFollowTheRule() throws {
        var s = SyntheticImage()
        s.incompatible = IncompatibleFeature.externalDataFile.mask
        s.extensions = [(HeaderExtensionType.externalDataFile.rawValue, Array("/etc/passwd".utf8))]
        guard case .failure(let error)? = try s.open().openDataFile() else { Issue.record("opened /etc/passwd"); return }
        #expect(error.kind.refusal?.reason == .absolute)
        s.extensions = [(HeaderExtensionType.externalDataFile.rawValue, Array("nbd://127.0.0.1:1/x".utf8))]
        guard case .failure(let url)? = try s.open().openDataFile() else { Issue.record("opened a URL"); return }
        #expect(url.kind.refusal?.reason == .url)
    }
}
