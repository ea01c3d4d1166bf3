import Foundation
import Testing

/// Damage below the header never hides the header: `info` still describes the image, exits 2 exactly
/// when it reports an error (0 when only warnings), never 1, and every error it reports names the
/// structure and the file offset ("… at 0x…").
@Suite struct PartialResultTests {
    /// Corpus images whose header is sound but whose tables, snapshots, bitmaps or refcounts are not.
    static let damagedBelowHeader = [
        "rich--l1-random-pointers", "rich--l1_table_offset=past-eof", "rich--l1_size=max", "rich--l2-all-compressed-garbage",
        "rich--refcount_table_offset=max", "rich--reftable-all-itself", "rich--refblock-is-l2",
        "rich--snapshot-table-garbage", "rich--nb-snapshots-65536", "rich--snapshot-extra-max",
        "rich--bitmap-directory-garbage", "rich--bitmaps-ext-nb-max", "rich--bitmap-table-header",
        "rich--ext-len-max", "rich--fnt-garbage", "rich--truncated-at-0x1c00",
    ]

    @Test func headerShowsWhateverIsBrokenBelowIt() throws {
        let binary = try #require(Paths.binary, "qcowscope not found beside the tests; build it or set QCOWSCOPE_BIN")
        let runner = try Runner(binary: binary)
        defer { runner.cleanUp() }
        let paths = Self.damagedBelowHeader.map { Paths.corpus.appendingPathComponent($0 + ".qcow2").path }
        for path in paths { #expect(FileManager.default.fileExists(atPath: path), "corpus lacks \(path)") }
        let results = runner.runAll(paths.flatMap { [["info", $0], ["info", "--json", $0]] })
        var damaged = 0
        for r in results {
            let out = String(decoding: r.stdout, as: UTF8.self)
            let json = r.arguments.contains("--json")
            let reportsError = json ? out.contains("\"severity\": \"error\"") : out.split(separator: "\n").contains { $0.contains("error:") }
            let expected: Int32 = reportsError ? 2 : 0
            if reportsError { damaged += 1 }
            #expect(r.status == expected, "qcowscope \(r.commandLine): status \(r.status.map(String.init) ?? "signal"), expected \(expected)")
            #expect(out.contains(r.arguments.contains("--json") ? "\"virtual-size\"" : "virtual size"),
                    "qcowscope \(r.commandLine): no virtual size in the output")
            let errors = (out + String(decoding: r.stderr, as: UTF8.self)).split(separator: "\n")
                .filter { $0.contains("error:") || $0.contains("warning:") }
            for line in errors where !line.contains(" at 0x") {
                Issue.record("qcowscope \(r.commandLine): a finding without a file offset: \(line.prefix(160))")
            }
        }
        #expect(damaged > results.count / 2, "most of these images are damaged enough for an error: \(damaged) of \(results.count)")
    }
}
