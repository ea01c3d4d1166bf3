import Foundation
import Testing
import TestSupport

/// Every report command, in text and JSON, on every image of the mutation corpus
/// (Tests/Mutations/corpus, documented in its MANIFEST.tsv), under a 4 GiB address-space limit and
/// a 20 s time box: no signal, no hang, status 0...3 with a message, terminal-safe text, valid JSON,
/// and not one byte (nor an mtime) of any input changed.
@Suite(.serialized) struct CorpusTests {
    @Test func everyCommandSurvivesEveryCorpusImage() throws {
        let binary = try #require(Paths.binary, "qcowscope not found beside the tests; build it or set QCOWSCOPE_BIN")
        let runner = try Runner(binary: binary)
        defer { runner.cleanUp() }
        let commands = Commands(runner: runner)
        try #require(!commands.available.isEmpty, "qcowscope --help lists no report command")

        let images = Paths.images(in: Paths.corpus)
        try #require(images.count > 100, "the mutation corpus is missing (Tests/Mutations/make-corpus.py)")
        let watched = Paths.allFiles(under: Paths.corpus)
        let before = Fingerprint.take(watched)

        // QCOWSCOPE_HOSTILE_STRIDE=N runs every Nth image only (quick local iterations).
        let stride = max(1, Int(ProcessInfo.processInfo.environment["QCOWSCOPE_HOSTILE_STRIDE"] ?? "") ?? 1)
        var jobs: [[String]] = []
        for (n, image) in images.enumerated() where n % stride == 0 {
            let name = image.lastPathComponent
            jobs += commands.jobs(for: image.path, backingChain: name.hasPrefix("chain-") || name.contains("backed"))
        }
        let start = Date()
        let results = runner.runAll(jobs)
        let seconds = Date().timeIntervalSince(start)
        let broken = Verdict.record(results)
        let slowest = results.max { $0.seconds < $1.seconds }
        print("hostile corpus: \(images.count / stride) images × \(commands.available.joined(separator: ",")) + render \(commands.views.count) views "
              + "= \(results.count) runs in \(String(format: "%.1f", seconds)) s, \(broken) broken; slowest "
              + "\(String(format: "%.2f", slowest?.seconds ?? 0)) s: \(slowest?.commandLine ?? "-")")

        let changes = Fingerprint.changes(before: before, after: Fingerprint.take(watched))
        #expect(changes.isEmpty, "inputs changed: \(changes.prefix(10))")
        let inconsistent = ExitPolicy.consistency(results)
        #expect(inconsistent.isEmpty, "\(inconsistent.count) runs break the exit policy across commands: \(inconsistent.prefix(10))")
        // The statuses seen, so a change of policy shows in the log.
        let statuses = Dictionary(grouping: results) { $0.status.map(String.init) ?? "signal" }.mapValues(\.count)
        print("hostile corpus: exit statuses \(statuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))")
    }

    /// The manifest documents every corpus file, so a failure can be traced to the damage done.
    @Test func manifestDocumentsEveryCorpusFile() throws {
        let manifest = try String(contentsOf: Paths.corpus.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8)
        let listed = Set(manifest.split(separator: "\n").dropFirst().compactMap { $0.split(separator: "\t").first.map(String.init) })
        let root = Paths.corpus.path + "/"
        let files = Paths.allFiles(under: Paths.corpus).map { $0.path.replacingOccurrences(of: root, with: "") }
            .filter { $0 != "MANIFEST.tsv" }
        #expect(files.count == listed.count)
        #expect(Set(files).subtracting(listed).isEmpty, "undocumented: \(Set(files).subtracting(listed).sorted().prefix(5))")
    }

    /// Inputs the fuzzer once crashed on (Fuzz/regressions), replayed through every command.
    @Test func fuzzRegressionsStayFixed() throws {
        let inputs = Paths.allFiles(under: Paths.regressions).filter { !$0.lastPathComponent.hasPrefix(".") && $0.pathExtension != "md" }
        guard !inputs.isEmpty else { return }
        let binary = try #require(Paths.binary)
        let runner = try Runner(binary: binary)
        defer { runner.cleanUp() }
        let commands = Commands(runner: runner)
        let before = Fingerprint.take(inputs)
        Verdict.record(runner.runAll(inputs.flatMap { commands.jobs(for: $0.path) }))
        #expect(Fingerprint.changes(before: before, after: Fingerprint.take(inputs)).isEmpty)
    }
}
