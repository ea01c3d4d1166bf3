import Explorer
import Foundation
import TestSupport
import Testing

/// A whole explorer session on every fixture image — every view, every drill-down and back, the
/// help, a go-to, quit — ends with status 0 and leaves every file of the fixtures (images, backing
/// files, external data files) byte-for-byte, mtime- and ctime-identical. The images are used in
/// place, not copied: a copy would hide a write to a backing or data file the image names.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && TmuxSession.binary != nil, "needs tmux and the built binary"))
struct FixtureSessionTests {
    static let fixtures = ExplorerSessionTests.root.appendingPathComponent("Tests/Fixtures/images")
    /// The guest-disk fixtures (partition tables and filesystems), walked the same way.
    static let guestFixtures = ExplorerSessionTests.root.appendingPathComponent("Tests/Fixtures/guest")

    /// Keys a view takes in the walk before Enter (zoom, layout, sort...); a view not listed
    /// gets Enter and Escape only.
    static let viewKeys: [ViewID: [String]] = [.host: ["+", "c", "n"], .guest: ["f", "v"], .snapshots: ["s", "s"]]

    /// Keys for one session: every view the registry declares, by its number key, with its own
    /// keys, Enter and back; then a go-to, the help and quit. Each Escape is its own step with a
    /// longer pause, so that the Escape and the key after it never reach curses as one escape
    /// sequence.
    static let steps: [[String]] = ViewID.allCases.flatMap { id in
        [[String(id.key)] + (viewKeys[id] ?? []) + ["Enter"], ["Escape"]]
    } + [["g", "6", "4", "K", "Enter"], ["?"], ["x"], ["BTab", "q"]]

    @Test func everyViewOnEveryFixtureQuitsCleanlyAndWritesNothing() throws {
        let binary = try #require(TmuxSession.binary)
        let files = try [Self.fixtures, Self.guestFixtures].flatMap {
            try FileManager.default.contentsOfDirectory(at: $0, includingPropertiesForKeys: nil)
        }.sorted { $0.path < $1.path }
        let images = files.filter { $0.pathExtension == "qcow2" }
        #expect(images.count >= 20, "fixtures missing under \(Self.fixtures.path)")
        let before = Fingerprint.take(files)

        let scratch = URL(fileURLWithPath: try Tools.temporaryDirectory("qcowscope-e2e-fixtures"))
        defer { try? FileManager.default.removeItem(at: scratch) }
        for image in images {
            let dir = scratch.appendingPathComponent(image.lastPathComponent)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let tmux = try TmuxSession(command: [binary, image.path], width: 110, height: 34, directory: dir)
            let first = try tmux.waitFor("Header · \(image.lastPathComponent)")
            #expect(first.contains("Header · \(image.lastPathComponent)"), "\(image.lastPathComponent): first frame: \(first)")
            for keys in Self.steps {
                for key in keys { try tmux.send(key) }
                usleep(keys == ["Escape"] ? 120_000 : 40_000)
            }
            let status = tmux.exitStatus()
            let screen = status == 0 ? "" : try tmux.capture()
            #expect(status == 0, "\(image.lastPathComponent): exit status \(status.map(String.init) ?? "none"): \(screen)")
        }

        let changes = Fingerprint.changes(before: before, after: Fingerprint.take(files))
        #expect(changes.isEmpty, "fixtures changed: \(changes.prefix(10))")
    }
}
