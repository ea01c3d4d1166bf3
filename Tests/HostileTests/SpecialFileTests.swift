import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Files that are not regular files, as the image or as its backing file: a FIFO must not block
/// (opening one for reading waits for a writer forever), devices must not be read endlessly, and a
/// directory or an empty file is an error with a message, never a crash.
@Suite(.serialized) struct SpecialFileTests {
    @Test func specialFilesAsImageOrBackingNeverHang() throws {
        let binary = try #require(Paths.binary, "qcowscope not found beside the tests; build it or set QCOWSCOPE_BIN")
        let runner = try Runner(binary: binary)
        defer { runner.cleanUp() }
        let commands = Commands(runner: runner)
        let dir = runner.scratch.appendingPathComponent("special")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)

        // chain-fifo.qcow2 names "backing.fifo" beside it: make that a FIFO nobody writes to.
        let top = dir.appendingPathComponent("chain-fifo.qcow2")
        try FileManager.default.copyItem(at: Paths.corpus.appendingPathComponent("chain-fifo.qcow2"), to: top)
        #expect(mkfifo(dir.appendingPathComponent("backing.fifo").path, 0o600) == 0)
        let fifoImage = dir.appendingPathComponent("image.fifo")
        #expect(mkfifo(fifoImage.path, 0o600) == 0)
        let empty = dir.appendingPathComponent("empty.qcow2")
        #expect(FileManager.default.createFile(atPath: empty.path, contents: Data()))

        // A file whose own name would drive the terminal (as `qcowscope info *` might meet).
        let evilName = dir.appendingPathComponent("evil-\u{1b}[2J-\u{07}-\u{9b}-\u{202e}gpj.qcow2")
        try FileManager.default.copyItem(at: Paths.corpus.appendingPathComponent("base-rich.qcow2"), to: evilName)
        let evilMissing = dir.appendingPathComponent("missing-\u{1b}]52;c;aGk=\u{07}.qcow2")

        var jobs = commands.jobs(for: top.path, backingChain: true)
        jobs += commands.jobs(for: evilName.path) + commands.jobs(for: evilMissing.path, render: false)
        let notImages = [fifoImage.path, "/dev/zero", "/dev/null", "/dev/urandom", dir.path, empty.path,
                         dir.appendingPathComponent("missing.qcow2").path]
        for path in notImages { jobs += commands.jobs(for: path) }
        let results = runner.runAll(jobs)
        Verdict.record(results)
        for r in results where notImages.contains(where: { r.arguments.last == $0 }) {
            // Nothing useful can be read from these: status 1 with a message. Except that an empty
            // file can be vetted: it is not qcow2, so vet calls it unsafe (3).
            let expected: Int32 = r.arguments.first == "vet" && r.arguments.last == empty.path ? 3 : 1
            #expect(r.status == expected, "qcowscope \(r.commandLine) answered \(r.status.map(String.init) ?? "a signal"), expected \(expected)")
        }
    }
}
