import Foundation
import Testing
import TestSupport

/// The explorer, the default command, under the same `strace` on every image that names
/// something outside (``StraceRun/explore(_:binary:in:logs:)``: in a pseudo-terminal, quit with
/// `q`). What it opens when it starts is what matters here; every view it can show is drawn by
/// `render` in ``StraceReachTests``.
@Suite struct StraceExplorerTests {
    static let available = StraceReachTests.available && Tools.find("script") != nil

    @Test(.enabled(if: available)) func theExplorerReachesNothing() throws {
        let fixtures = try ReachFixtures()
        defer { fixtures.cleanUp() }
        let binary = try #require(QcowscopeBinary.path)
        let runs = try StraceRun.explore(ReachFixtures.reaching, binary: binary, in: fixtures.images, logs: fixtures.directory)
        #expect(runs.count == ReachFixtures.reaching.count)
        for run in runs {
            let image = run.job[1]
            #expect(run.status == 0 && run.trace.contains("\"\(image)\""), "explore \(image): status \(run.status), trace \(run.trace.prefix(300))")
            for problem in StraceRun.problems(in: run.trace) {
                Issue.record("qcowscope explore \(image): \(problem)")
            }
        }
        #expect(!fixtures.listener.wasConnected, "something connected to 127.0.0.1:\(fixtures.listener.port)")
    }
}
