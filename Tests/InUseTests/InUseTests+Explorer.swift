import Analysis
import Explorer
import Foundation
import TerminalUI
import Testing
import TestSupport

extension InUseTests {
    /// The explorer watching (`w`) an image qemu-io is writing: every re-scan reads it whole
    /// (no crash, no corruption), the allocation it shows never goes down, the clusters written
    /// since the round before are highlighted in the host and guest maps and the file's growth
    /// is a sparkline in the status line; once the writer has stopped, one more round shows
    /// exactly what `qemu-img check` finds.
    @Test func explorerWatchFollowsAWriter() throws {
        let (directory, image) = try Self.makeImage()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let session = try ExplorerSession(path: image)
        session.scanNow()
        let writer = QemuWriter(directory: directory, image: image)
        try writer.start(.qemuIO, count: 40, pause: 0.05)
        defer { writer.stop() }

        // `w` through the run loop: the loop starts a round in the background.
        let backend = HeadlessBackend(size: Size(width: 100, height: 30), events: [.character("w")])
        var state = ExplorerLoop.run(backend: backend, session: session, theme: .plainText, initial: AppState(view: .host))
        session.waitForBackgroundWork()
        #expect(state.watching)
        state.shouldQuit = false
        state.message = nil
        try #require(session.snapshot().watch?.round != nil, "w started no re-scan")

        var allocations: [UInt64] = []
        var sawNewInHost = false
        var sawNewInGuest = false
        for _ in 0..<5 {
            usleep(150_000)
            session.watchRoundNow()
            let data = session.snapshot()
            let watch = try #require(data.watch)
            #expect(watch.error == nil, "\(watch.error ?? "")")
            let round = try #require(watch.round)
            #expect(round.analysis.check.corruptions == 0 && round.analysis.check.checkErrors == 0, "\(round.line)")
            allocations.append(round.allocatedClusters)
            let size = Size(width: 100, height: 30)
            state.switchTo(.host)
            let host = Explorer.render(state, data, size: size, theme: .plainText).textDump()
            state.switchTo(.guest)
            let guest = Explorer.render(state, data, size: size, theme: .plainText).textDump()
            #expect(host.contains("watch #\(round.number)"), "\(host)")
            if !watch.newHost.isEmpty {
                #expect(host.contains("new since the last re-scan"), "\(host)")
                sawNewInHost = sawNewInHost || host.contains("+")
            }
            if !watch.newGuest.isEmpty {
                sawNewInGuest = sawNewInGuest || guest.contains("new since the last re-scan")
            }
            let status = host.split(separator: "\n").last.map(String.init) ?? ""
            #expect(status.contains(where: { "▁▂▃▄▅▆▇█".contains($0) }), "no sparkline: \(status)")
        }
        #expect(allocations == allocations.sorted(), "allocation went down: \(allocations)")
        #expect(sawNewInHost && sawNewInGuest, "nothing highlighted while qemu-io wrote")

        writer.wait(seconds: 20)
        session.watchRoundNow()
        let last = try #require(session.snapshot().watch?.round)
        let qemu = try JSONParser.parse(try Tools.run(["qemu-img", "check", "--output=json", image], in: directory).stdout)
        #expect(last.allocatedClusters == Self.number(qemu["allocated-clusters"]))
        #expect(last.allocatedClusters >= (allocations.last ?? 0))
        #expect(!last.analysis.inUse)
    }
}
