import Explorer
import Foundation
import TestSupport
import Testing

/// The real binary in a real terminal: open, visit every view, zoom, drill in, resize, quit with
/// status 0, and the image is byte-for-byte and mtime-identical afterwards.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && TmuxSession.binary != nil, "needs tmux and the built binary"))
struct ExplorerSessionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A private copy of the demo image, so the test can compare it before and after.
    static func workCopy() throws -> (dir: URL, image: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qcowscope-e2e-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let image = dir.appendingPathComponent("demo.qcow2")
        try FileManager.default.copyItem(at: root.appendingPathComponent("Demo/demo.qcow2"), to: image)
        return (dir, image)
    }

    @Test func visitEveryViewZoomDrillResizeQuit() throws {
        let (dir, image) = try Self.workCopy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = Fingerprint.take([image])
        let binary = try #require(TmuxSession.binary)
        let tmux = try TmuxSession(command: [binary, image.path], width: 120, height: 40, directory: dir)

        var screen = try tmux.waitFor("Header fields", "qcow2 v3", "Header · demo.qcow2")
        #expect(screen.contains("1 Header"), "first frame: \(screen)")
        #expect(screen.contains("qcow2 v3"))

        // Every view the registry declares, by its number key.
        for (key, title) in ViewID.allCases.dropFirst().map({ (String($0.key), $0.title) }) {
            try tmux.send(key)
            screen = try tmux.waitFor("\(title) · demo.qcow2")
            #expect(screen.contains("\(title) · demo.qcow2"), "view \(key): \(screen)")
        }
        try tmux.send("Tab")
        screen = try tmux.waitFor("Header · demo.qcow2")
        #expect(screen.contains("Header · demo.qcow2"))

        // Host map: zoom in and out, toggle the curve layout, drill into a cluster and back.
        try tmux.send("2", "+", "+", "-", "c", "c", "Enter")
        screen = try tmux.waitFor("Cluster #0 ")
        #expect(screen.contains("header"), "cluster drill-down: \(screen)")
        try tmux.send("Escape")
        screen = try tmux.waitFor("Layout · demo.qcow2")
        #expect(screen.contains("Layout · demo.qcow2"))

        // A snapshot's guest map and a bitmap's dirty extents, and back.
        try tmux.send("5", "Down", "Enter")
        screen = try tmux.waitFor("Guest snapshot 1 \"fresh-install\"")
        #expect(screen.contains("Guest snapshot 1 \"fresh-install\""), "snapshot drill-down: \(screen)")
        // Escape, then wait for the screen behind it, as a person looks before typing on.
        try tmux.send("Escape")
        try tmux.waitFor("Snapshots · demo.qcow2", "tree (parents inferred")
        // Mark fresh-install, diff it against after-upgrade, step to a change, compare content.
        try tmux.send("Space", "Down", "d")
        screen = try tmux.waitFor("Diff 1 \"fresh-install\" → 3 \"after-upgrade\"")
        #expect(screen.contains("Host at guest"), "diff: \(screen)")
        try tmux.send("n")
        try tmux.waitFor("Extent 1 of")
        try tmux.send("c")
        try tmux.waitFor("content compared")
        try tmux.send("Escape")
        try tmux.waitFor("Snapshots · demo.qcow2", "tree (parents inferred")
        try tmux.send("6", "Enter")
        screen = try tmux.waitFor("Bitmap \"since-install\" ·", "in 62 extents")
        #expect(screen.contains("Bitmap \"since-install\""), "bitmap drill-down: \(screen)")
        try tmux.send("Escape")
        try tmux.waitFor("Bitmaps · demo.qcow2", "3 persistent bitmaps")
        try tmux.send("2")
        screen = try tmux.waitFor("Layout · demo.qcow2")

        try tmux.send("?")
        screen = try tmux.waitFor("any key closes")
        #expect(screen.contains("quit"))
        try tmux.send("x")

        // Redrawn for the new size: the status bar is on the last of the 28 rows again.
        try tmux.resize(width: 90, height: 28)
        screen = try tmux.waitFor("Layout · demo.qcow2")
        let rows = screen.components(separatedBy: "\n")
        let statusRow = rows.lastIndex { $0.hasSuffix("Layout · demo.qcow2") }
        #expect(statusRow == 27, "after resize: \(screen)")
        #expect(rows.allSatisfy { $0.count <= 90 })

        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
        let changes = Fingerprint.changes(before: before, after: Fingerprint.take([image]))
        #expect(changes.isEmpty, "the image changed: \(changes)")
    }

    @Test func explorerRefusesAMissingImageWithStatus1() throws {
        let (dir, _) = try Self.workCopy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = try #require(TmuxSession.binary)
        let tmux = try TmuxSession(command: [binary, dir.appendingPathComponent("nope.qcow2").path], width: 100, height: 20,
                                   directory: dir)
        #expect(tmux.exitStatus() == 1)
        let screen = try tmux.capture()
        #expect(screen.contains("nope.qcow2"))
    }
}
