import Foundation
import Testing
import TestSupport

/// qcowscope never writes to an image: every command on every fixture leaves every file of the
/// fixture directory (images, raw backing files, external data files) byte-for-byte identical with
/// unchanged mtime and ctime. The same runs also hold the corpus promises on healthy images.
@Suite(.serialized) struct NeverWritesTests {
    @Test func everyCommandLeavesEveryFixtureUntouched() throws {
        let binary = try #require(Paths.binary, "qcowscope not found beside the tests; build it or set QCOWSCOPE_BIN")
        let images = Paths.images(in: Paths.fixtures)
        guard !images.isEmpty else { return }
        let runner = try Runner(binary: binary)
        defer { runner.cleanUp() }
        let commands = Commands(runner: runner)
        let watched = Paths.allFiles(under: Paths.fixtures)
        let before = Fingerprint.take(watched)
        let jobs = images.flatMap { commands.jobs(for: $0.path, backingChain: true) }
        Verdict.record(runner.runAll(jobs))
        let changes = Fingerprint.changes(before: before, after: Fingerprint.take(watched))
        #expect(changes.isEmpty, "fixtures changed: \(changes.prefix(10))")
    }

    /// The rule behind the test above, checked at the source: nothing in Sources opens a file for
    /// writing or writes at an offset. (Comments may name the flags; code may not.) One file is
    /// the exception: PictureOutput.swift creates the PNG/SVG files `render --output` and
    /// `layout`/`map --picture` name — write-only, never O_RDWR, after refusing the image's own
    /// inode and any file that starts with qcow2's magic (PictureCommandTests check both).
    @Test func sourcesNeverOpenForWriting() throws {
        let forbidden = ["O_RDWR", "O_WRONLY", "O_CREAT", "O_TRUNC", "pwrite(", "ftruncate("]
        let pictureOutput: Set<String> = ["O_WRONLY", "O_CREAT", "O_TRUNC"]
        let sources = Paths.allFiles(under: Paths.root.appendingPathComponent("Sources"))
            .filter { ["swift", "h", "c"].contains($0.pathExtension) }
        #expect(!sources.isEmpty)
        for file in sources {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.components(separatedBy: "//").first ?? ""
                for word in forbidden where code.contains(word) {
                    if file.lastPathComponent == "PictureOutput.swift", pictureOutput.contains(word) { continue }
                    Issue.record("\(file.lastPathComponent):\(n + 1) uses \(word)")
                }
            }
        }
    }
}
