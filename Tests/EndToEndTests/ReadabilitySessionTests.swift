import Explorer
import Foundation
import TestSupport
import Testing

/// Issue 16 in a real terminal: `LANG=C` at 80×24 shows only ASCII with every count and the
/// pinned `? help` / `q quit`; `NO_COLOR` gives each layout role its own mark; the keys (`g #N`,
/// `host X`, Tab from a drill-down, `x`, Enter in Check) act the same everywhere.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && TmuxSession.binary != nil, "needs tmux and the built binary"))
struct ReadabilitySessionTests {
    static func session(_ image: String = "Demo/demo.qcow2", width: Int, height: Int, arguments: [String] = [],
                        environment: [String: String] = [:]) throws -> (TmuxSession, URL) {
        let dir = URL(fileURLWithPath: try Tools.temporaryDirectory("qcowscope-e2e-readable"))
        let binary = try #require(TmuxSession.binary)
        let path = ExplorerSessionTests.root.appendingPathComponent(image).path
        let tmux = try TmuxSession(command: [binary, path] + arguments, width: width, height: height, directory: dir,
                                   environment: environment)
        return (tmux, dir)
    }

    @Test func asciiOnlyInACLocaleAt80x24() throws {
        let (tmux, dir) = try Self.session(width: 80, height: 24, environment: ["LANG": "C", "LC_ALL": "C"])
        defer { try? FileManager.default.removeItem(at: dir) }
        var screen = try tmux.waitFor("Header | demo.qcow2")
        for id in ViewID.allCases {
            try tmux.send(String(id.key))
            screen = try tmux.waitFor("\(id.title) | demo")
            let bad = screen.unicodeScalars.filter { !$0.isASCII }
            #expect(bad.isEmpty, "\(id.name): \(String(String.UnicodeScalarView(bad)))\n\(screen)")
            let rows = screen.components(separatedBy: "\n")
            #expect(rows.first?.contains("7 Check") == true, "tab bar cut: \(rows.first ?? "")")
            let status = rows.last { !$0.isEmpty } ?? ""
            #expect(status.contains("? help") && status.contains("q quit"), "\(id.name) status: \(status)")
        }
        try tmux.send("4")
        screen = try tmux.waitFor("Refcounts & frag | demo")
        #expect(screen.contains("100 host jumps"), "a count cut at 80 columns: \(screen)")
        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
    }

    @Test func noColorGivesEachRoleAMark() throws {
        let (tmux, dir) = try Self.session(width: 140, height: 45, arguments: ["--no-color"], environment: ["NO_COLOR": "1"])
        defer { try? FileManager.default.removeItem(at: dir) }
        try tmux.waitFor("Header · demo.qcow2")
        try tmux.send("2")
        let screen = try tmux.waitFor("Layout · demo.qcow2")
        for mark in ["H header", "L l1", "T l2", "R refcount-table", "C refcount-block", "s snapshot-table", "l snapshot-l1",
                     "t snapshot-l2", "█ data", "▓ data-shared", "d snapshot-data", "▒ compressed", "· free"] {
            #expect(screen.contains(mark), "legend lacks \(mark): \(screen)")
        }
        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
    }

    @Test func keysActTheSameEverywhere() throws {
        let (tmux, dir) = try Self.session(width: 200, height: 60)
        defer { try? FileManager.default.removeItem(at: dir) }
        try tmux.waitFor("Header · demo.qcow2")
        // g in a view without positions: host #N opens the layout on that cluster.
        try tmux.send("5", "g", "h", "o", "s", "t", "Space", "#", "3", "Enter")
        var screen = try tmux.waitFor("Layout · demo.qcow2", "(#3)")
        #expect(screen.contains("cluster 0x3000 (#3) · l1"), "\(screen)")
        // Enter opens it, x flips to hex, Tab goes on to the next view from the drill-down.
        try tmux.send("Enter")
        screen = try tmux.waitFor("Cluster #3 ")
        try tmux.send("x")
        screen = try tmux.waitFor("Raw bytes of host cluster #3")
        try tmux.send("Tab")
        screen = try tmux.waitFor("Map · demo.qcow2")
        // With the host jumps shown, n goes to the first one.
        try tmux.send("f")
        screen = try tmux.waitFor("jumps shown")
        try tmux.send("n")
        for _ in 0..<50 where screen.contains("guest 0x0 (#0)") {
            usleep(100_000)
            screen = try tmux.capture()
        }
        #expect(!screen.contains("guest 0x0 (#0)"), "n did not move: \(screen)")
        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
    }

    @Test func checkEnterOpensTheFindingsCluster() throws {
        let (tmux, dir) = try Self.session("Tests/Fixtures/images/corrupt-leak.qcow2", width: 140, height: 45)
        defer { try? FileManager.default.removeItem(at: dir) }
        try tmux.waitFor("Header · corrupt-leak.qcow2")
        try tmux.send("7", "Down", "Enter")
        let screen = try tmux.waitFor("Cluster #10 ")
        #expect(screen.contains("leaked"), "\(screen)")
        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
    }

    /// `render --ascii` prints only ASCII for every view, named as the commands are or by number.
    @Test func renderTakesNamesNumbersAndStaysASCII() throws {
        let binary = try #require(TmuxSession.binary)
        let demo = ExplorerSessionTests.root.appendingPathComponent("Demo/demo.qcow2").path
        for view in ["header", "layout", "map", "refcounts", "snapshots", "bitmaps", "check", "volumes", "1", "2", "3", "4", "5", "6", "7", "8", "host", "guest"] {
            let out = try Subprocess.run(binary, ["render", demo, "--view", view, "--ascii", "--size", "80x24"])
            #expect(out.status == 0, "\(view): \(out.stderrText)")
            let ascii = out.stdoutText.unicodeScalars.allSatisfy { $0.isASCII }
            #expect(ascii, "\(view): \(out.stdoutText)")
        }
        let layout = try Subprocess.run(binary, ["render", demo, "--view", "layout", "--size", "100x30"]).stdoutText
        #expect(layout.contains("Layout · demo.qcow2") && layout.contains("Host file"))
        let map = try Subprocess.run(binary, ["render", demo, "--view", "3", "--size", "100x30"]).stdoutText
        #expect(map.contains("Map · demo.qcow2"))
        let bad = try Subprocess.run(binary, ["render", demo, "--view", "9"])
        #expect(bad.status != 0 && bad.stderrText.contains("layout, map"))
    }
}
