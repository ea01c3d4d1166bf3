import Foundation
import Synchronization
import Testing
import TestSupport

/// The explorer, the default command, under the same `strace` on every image that names
/// something outside: it needs a terminal, so it runs under `script` (a pseudo-terminal) and is
/// sent `q` once it is up. What it opens when it starts is what matters here; every view it can
/// show is drawn by `render` in ``StraceReachTests``.
@Suite struct StraceExplorerTests {
    static let available = StraceReachTests.available && Tools.find("script") != nil

    @Test(.enabled(if: available)) func theExplorerReachesNothing() throws {
        let fixtures = try ReachFixtures()
        defer { fixtures.cleanUp() }
        let binary = try #require(QcowscopeBinary.path)
        let images = ReachFixtures.reaching
        let runs = Mutex<[(image: String, status: Int32, trace: String)]>([])
        DispatchQueue.concurrentPerform(iterations: images.count) { i in
            let log = "\(fixtures.directory)/explore-\(i).trace"
            let traced = ["strace", "-f", "-qq", "-e", "trace=%file,%network", "-o", log, binary, "explore", images[i]]
            let line = "(sleep 1; printf q) | TERM=xterm timeout 30 script -qec \(Self.quoted(traced.map(Self.quoted).joined(separator: " "))) /dev/null >/dev/null"
            let status = (try? Tools.run(["sh", "-c", line], in: fixtures.images).status) ?? -1
            let trace = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            runs.withLock { $0.append((images[i], status, trace)) }
        }
        for run in runs.withLock({ $0 }) {
            #expect(run.status == 0 && run.trace.contains("\"\(run.image)\""), "explore \(run.image): status \(run.status), trace \(run.trace.prefix(300))")
            for problem in StraceReachTests.problems(in: run.trace) {
                Issue.record("qcowscope explore \(run.image): \(problem)")
            }
        }
        #expect(!fixtures.listener.wasConnected, "something connected to 127.0.0.1:\(fixtures.listener.port)")
    }

    /// `text` as one word for `sh`.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
