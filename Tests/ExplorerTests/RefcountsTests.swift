import Analysis
import Explorer
import Qcow2
import TerminalUI
import TerminalUITesting
import Testing

@Suite struct RefcountsTests {
    /// The scan's stored histogram is what reading every refcount one by one gives, and both
    /// histograms cover every compared cluster.
    @Test(arguments: ["v3.qcow2", "snapshots.qcow2", "rc1.qcow2", "rc64.qcow2", "corrupt-leak.qcow2", "corrupt-refcount-zero.qcow2",
                      "Demo/demo.qcow2"])
    func histogramsMatchReadingEveryRefcount(name: String) throws {
        let image = try Qcow2Image(path: ExplorerFixtures.path(name), limits: .noBacking)
        let analysis = try ImageAnalysis.scan(image)
        var stored = [UInt64](repeating: 0, count: 66)
        var counted = [UInt64](repeating: 0, count: 66)
        for c in 0..<analysis.clusters.count {
            stored[RefcountHistogram.bucket(of: try #require(analysis.storedRefcount(ofCluster: c)))] += 1
            counted[RefcountHistogram.bucket(of: analysis.computedRefcount(ofCluster: c))] += 1
        }
        for k in 0..<66 {
            #expect(analysis.storedRefcounts.count(inBucket: k) == stored[k], "\(name) stored bucket \(k)")
            #expect(analysis.computedRefcounts.count(inBucket: k) == counted[k], "\(name) counted bucket \(k)")
        }
        #expect(analysis.storedRefcounts.total == UInt64(analysis.clusters.count))
    }

    @Test(arguments: [(0, "0"), (3, "3"), (4, "4–7"), (5, "8–15"), (65, "9223372036854775808–18446744073709551615")])
    func bucketLabels(bucket: Int, label: String) {
        #expect(RefcountHistogram.label(ofBucket: bucket) == label)
        #expect(RefcountHistogram.bucket(of: RefcountHistogram.range(ofBucket: bucket).lowerBound) == bucket)
        #expect(RefcountHistogram.bucket(of: RefcountHistogram.range(ofBucket: bucket).upperBound) == bucket)
    }

    @Test func mismatchesByKind() throws {
        let leak = try #require(RefcountsViewModel(data: try ExplorerFixtures.session("corrupt-leak.qcow2").snapshot()))
        #expect(leak.leaked == 1 && leak.tooLow == 0 && leak.tooHigh == 0)
        #expect(leak.rows.contains { $0.differs })
        let zero = try #require(RefcountsViewModel(data: try ExplorerFixtures.session("corrupt-refcount-zero.qcow2").snapshot()))
        #expect(zero.tooLow == 1)
        #expect(zero.rows.first { $0.bucket == 0 }?.stored == 1)
        let clean = try #require(RefcountsViewModel(data: try ExplorerFixtures.session("snapshots.qcow2").snapshot()))
        #expect(clean.mismatches == 0 && !clean.rows.contains { $0.differs })
        #expect(clean.rows.contains { $0.bucket == 2 && $0.stored > 0 })
    }

    @Test func enterShowsTheFirstClusterInTheHostMap() throws {
        let session = try ExplorerFixtures.session("snapshots.qcow2")
        var state = AppState(view: .refcounts)
        let size = Size(width: 100, height: 32)
        ExplorerFixtures.press(session, &state, [.down, .down, .enter], size: size)
        let analysis = try #require(session.snapshot().analysis)
        #expect(state.view == .host)
        #expect(analysis.computedRefcount(ofCluster: Int(state[.host].map.cursor)) == 2)
        #expect((0..<Int(state[.host].map.cursor)).allSatisfy { analysis.computedRefcount(ofCluster: $0) != 2 })
    }

    @Test func clickSelectsARefcountRow() throws {
        let session = try ExplorerFixtures.session("snapshots.qcow2")
        var state = AppState(view: .refcounts)
        let size = Size(width: 100, height: 32)
        // Body starts at row 1: title, frame top, headings, then refcount rows 0, 1, 2, ...
        Explorer.update(&state, .mouse(MouseEvent(x: 10, y: 6, kind: .press)), session.snapshot(), size: size)
        #expect(state[.refcounts].list.selection == 2)
        #expect(RefcountsView.position(state, session.snapshot()).hasPrefix("refcount 2"))
    }

    @Test func waitsForTheScan() throws {
        let session = try ExplorerSession(path: ExplorerFixtures.path("v3.qcow2"))
        let frame = Explorer.render(AppState(view: .refcounts), session.snapshot(), size: Size(width: 80, height: 20), theme: .plainText)
        #expect(frame.textDump().contains("Comparing refcounts"))
        let host = Explorer.render(AppState(view: .host), session.snapshot(), size: Size(width: 80, height: 20), theme: .plainText)
        #expect(host.textDump().contains("Scanning the metadata"))
    }

    @Test func goldens() throws {
        Golden.check(try ExplorerFixtures.frame("Demo/demo.qcow2", view: .refcounts), named: "refcounts-demo")
        Golden.check(try ExplorerFixtures.frame("corrupt-leak.qcow2", view: .refcounts, events: [.down]), named: "refcounts-corrupt-leak")
        Golden.check(try ExplorerFixtures.frame("snapshots.qcow2", view: .refcounts), named: "refcounts-snapshots")
    }
}
