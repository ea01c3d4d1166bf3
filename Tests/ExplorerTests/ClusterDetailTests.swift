import Analysis
import Explorer
import Qcow2
import TerminalUI
import TerminalUITesting
import Testing

@Suite struct ClusterDetailTests {
    static func open(_ name: String) throws -> (Qcow2Image, ImageAnalysis) {
        let image = try Qcow2Image(path: ExplorerFixtures.path(name), limits: .noBacking)
        return (image, try ImageAnalysis.scan(image))
    }

    /// Every reference QEMU's check counts is found, and nothing else: without the analysis (a
    /// full walk, no pruning, no early stop) the references to each cluster number exactly its
    /// computed refcount.
    @Test(arguments: ["v3.qcow2", "snapshots.qcow2", "zlib.qcow2", "bitmaps.qcow2", "extl2.qcow2", "rc64.qcow2",
                      "c512.qcow2", "corrupt-leak.qcow2", "Demo/demo.qcow2"])
    func referencesMatchComputedRefcounts(name: String) throws {
        let (image, analysis) = try Self.open(name)
        for c in 0..<analysis.clusters.count where analysis.role(ofCluster: c) != .conflict {
            let computed = analysis.computedRefcount(ofCluster: c)
            let full = ClusterReferences(cluster: UInt64(c), in: image)
            #expect(full.isComplete && full.problems.isEmpty, "\(name) #\(c)")
            #expect(UInt64(full.references.count) == min(computed, 64), "\(name) #\(c): \(full.references)")
            let pruned = ClusterReferences(cluster: UInt64(c), in: image, analysis: analysis)
            #expect(pruned.references.count == full.references.count, "\(name) #\(c) pruned")
        }
    }

    @Test func knownReferencesOnTheDemo() throws {
        let (image, analysis) = try Self.open("Demo/demo.qcow2")
        let bits = UInt64(image.header.clusterBits)
        let l1 = image.header.l1TableOffset >> bits
        #expect(ClusterReferences(cluster: l1, in: image, analysis: analysis).references.map(\.kind) == [.l1Table(snapshot: nil)])
        let firstL2 = try image.readL1Table()[0] & Qcow2.l1OffsetMask
        let l2Refs = ClusterReferences(cluster: firstL2 >> bits, in: image, analysis: analysis).references
        #expect(l2Refs.map(\.kind) == [.l1Entry(snapshot: nil, index: 0)])
        #expect(l2Refs.first?.offset == image.header.l1TableOffset)
        // Guest 0x1c000 (L2 entry 28 of the first table) lives at host 0x33000.
        let data = ClusterReferences(cluster: 0x33, in: image, analysis: analysis).references
        #expect(data.contains { $0.kind == .l2Entry(snapshot: nil, l1Index: 0, index: 28, guestOffset: 0x1c000, compressed: false) })
        let table = try image.readRefcountTable()
        let block = RefcountTableEntry(raw: table[0]).blockOffset >> bits
        #expect(ClusterReferences(cluster: block, in: image, analysis: analysis).references.map(\.kind) == [.refcountTableEntry(index: 0)])
        #expect(ClusterReferences(cluster: 0, in: image).references.map(\.kind) == [.header])
    }

    @Test func theWalkIsBounded() throws {
        let (image, _) = try Self.open("Demo/demo.qcow2")
        let few = ClusterReferences(cluster: 0x149, in: image, limit: 3)
        #expect(few.references.count == 3 && !few.isComplete)
        let budget = ClusterReferences(cluster: 0x33, in: image, maxL2Bytes: 4096)
        #expect(budget.l2TablesRead <= 1)
        // The first active L2 table maps 0x33000, so one table is enough here; a later one is not.
        let late = ClusterReferences(cluster: 0x190, in: image, maxL2Bytes: 4096)
        #expect(late.l2TablesRead == 1 && late.bytesRead == 4096)
        #expect(ClusterReferences(cluster: UInt64.max, in: image).references.isEmpty)
    }

    @Test func drillKeysFollowPointersAndFlipPages() throws {
        let session = try ExplorerFixtures.session("Demo/demo.qcow2")
        let size = Size(width: 100, height: 32)
        var state = AppState(view: .host)
        func press(_ events: InputEvent...) { ExplorerFixtures.press(session, &state, events, size: size) }
        press(.right, .right, .right, .enter)                     // the active L1 table
        #expect(state.drills == [.cluster(3)])
        // The first line that leads somewhere is selected: L1 entry 0.
        press(.enter)
        #expect(state.drills == [.cluster(3), .cluster(0x14b)])
        press(.character("x"))
        #expect(state.screen.page == 1)
        #expect(Explorer.render(state, session.snapshot(), size: size, theme: .plainText).textDump().contains("Raw bytes of host cluster #331"))
        press(.character("]"))
        #expect(state.drills.last == .cluster(0x14c) && state.drills.count == 2)
        let model = try #require(session.snapshot().results.clusterDetails[0x14c])
        let data = session.snapshot()
        #expect(ClusterDetailView.lines(model, .hex, data)[ClusterDetailView.selection(state, model, data)].target != nil)
        press(.up, .up, .up, .up, .up, .up, .enter)
        #expect(state.message?.contains("does not point") == true)
        press(.escape)
        #expect(state.drills == [.cluster(3)])
        press(.escape, .escape)
        #expect(state.drills.isEmpty && state.view == .host)
    }

    @Test func goldens() throws {
        // The first active L2 table, decoded; the header cluster as hex; a too-low refcount.
        Golden.check(try ExplorerFixtures.frame("Demo/demo.qcow2", view: .host,
                                                events: [.character("g")] + InputEvent.typing("0x14b000") + [.enter, .enter]),
                     named: "cluster-demo-l2")
        Golden.check(try ExplorerFixtures.frame("Demo/demo.qcow2", view: .host, events: [.enter, .character("x")]), named: "cluster-demo-header-hex")
        Golden.check(try ExplorerFixtures.frame("Demo/demo.qcow2", view: .host,
                                                events: [.character("g")] + InputEvent.typing("0x149000") + [.enter, .enter]),
                     named: "cluster-demo-compressed")
        let zero = try ExplorerFixtures.frame("corrupt-refcount-zero.qcow2", view: .host,
                                              events: [.character("g")] + InputEvent.typing("0x20000") + [.enter, .enter])
        Golden.check(zero, named: "cluster-refcount-zero-block", styles: true)
    }

    @Test func tooLowRefcountIsFlagged() throws {
        let session = try ExplorerFixtures.session("corrupt-refcount-zero.qcow2")
        let data = session.snapshot()
        let analysis = try #require(data.analysis)
        let bad = try #require(analysis.findings.samples.first { $0.kind == .refcountTooLow })
        let model = ClusterDetailModel(cluster: try #require(bad.cluster), data: data)
        #expect(model.storedRefcount == 0 && model.computedRefcount == 1)
        #expect(model.head.contains { $0.tone == .error && $0.text.contains("too low") })
        #expect(model.head.contains { $0.text.contains("refcount-too-low") })
    }
}
