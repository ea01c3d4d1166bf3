import Foundation
import Testing
import TestSupport

/// Every report command and every view (`render`; the explorer itself in ``StraceExplorerTests``),
/// on images whose backing and data files are named /etc/passwd, file:///etc/passwd, ../../x,
/// /dev/zero, a FIFO, a symbolic link out of the directory and http://127.0.0.1:PORT/x, run under
/// `strace -f -e trace=%file,%network` (``StraceRun``): no such path is opened (nor even looked at,
/// outside the directory), and no connection is made (issue 17). RemoteTests' StraceRemoteTests
/// does the same over HTTP.
@Suite struct StraceReachTests {
    static let available = Tools.qemu && StraceRun.available

    @Test(.enabled(if: available)) func noCommandReachesBeyondTheImage() throws {
        let fixtures = try ReachFixtures()
        defer { fixtures.cleanUp() }
        let binary = try #require(QcowscopeBinary.path)
        let views = try StraceRun.views()
        #expect(views.count >= 5, "render --help lists no views")
        var jobs: [[String]] = []
        for (i, image) in ReachFixtures.reaching.enumerated() {
            jobs += StraceRun.commands.map { $0 + [fixtures.path(image)] }
            // Each view on two of the images, in turn, so every view meets backing and data file names.
            for (j, view) in views.enumerated() where (j + i) % (ReachFixtures.reaching.count / 2) == 0 {
                jobs.append(["render", "--view", view, fixtures.path(image)])
            }
        }
        // survey walks the whole directory: the FIFO and the link out are entries it meets, and
        // every image's names are judged against the surveyed tree.
        jobs.append(["survey", "--jobs", "1", "--json", fixtures.images])
        let runs = try StraceRun.trace(jobs, binary: binary, in: fixtures.images, logs: fixtures.directory + "/logs")
        #expect(runs.count == jobs.count)
        for run in runs {
            #expect(run.status != -1 && run.status < 124 && !run.trace.isEmpty, "\(run.command): status \(run.status), no trace")
            for problem in StraceRun.problems(in: run.trace) {
                Issue.record("qcowscope \(run.command): \(problem)")
            }
        }
        #expect(!fixtures.listener.wasConnected, "something connected to 127.0.0.1:\(fixtures.listener.port)")
    }
}
