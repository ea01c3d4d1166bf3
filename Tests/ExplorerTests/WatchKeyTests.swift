import Explorer
import Testing
import TerminalUI
import TerminalUITesting

/// `w` (issue 12): watching on and off from any view, at once even while the screen in front
/// waits for its data; the watch line and the status line's sparkline come from the data's
/// ``WatchStatus`` (the real re-scans of a written image are InUseTests).
@Suite struct WatchKeyTests {
    @Test(arguments: [ViewID.header, .host, .guest, .bitmaps, .check])
    func wTogglesWatchingEverywhere(_ view: ViewID) throws {
        let (on, _) = try ExplorerFixtures.run("Demo/demo.qcow2", view: view, [.character("w")], size: Size(width: 100, height: 32))
        #expect(on.watching && on.typeAhead.isEmpty)
        #expect(on.message == "watching: a re-scan every 2 s")
        let (off, _) = try ExplorerFixtures.run("Demo/demo.qcow2", view: view, [.character("w"), .character("w")],
                                                size: Size(width: 100, height: 32))
        #expect(!off.watching && off.message == "stopped watching")
    }

    @Test func watchLineAndSparkline() throws {
        let (state, plain) = try ExplorerFixtures.run("Demo/demo.qcow2", view: .host, [], size: Size(width: 120, height: 32))
        var data = plain
        var watch = WatchStatus(seconds: 0.5)
        watch.growth = [0, 1 << 20, 4 << 20, 0]
        data.watch = watch
        let lines = Explorer.render(state, data, size: Size(width: 120, height: 32), theme: .plainText).textDump()
            .split(separator: "\n").map(String.init)
        #expect(lines[lines.count - 2].contains("watching every 0.5 s: first re-scan under way"), "\(lines)")
        #expect(lines[lines.count - 1].contains("▁▃█▁ · "), "\(lines)")
        let ascii = Theme(glyphs: .ascii, colorMode: .none)
        #expect(ascii.sparkline([0, 1, 2, 4]) == "_-=#")
    }
}
