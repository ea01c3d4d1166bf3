import Qcow2
import Testing
import Analysis
import Qcow2

/// A drill-down reached from an L2 entry gives that entry to ``ClusterReferences``: a cluster the
/// scan counted one reference to then needs no search, so a multi-terabyte image (whose L2
/// tables are far more than the search's budget) never says "nothing found … stopped after
/// reading N L2 tables" for it. Shown here with a search budget of zero bytes.
@Suite struct KnownReferenceTests {
    @Test func aKnownL2EntryNeedsNoSearch() throws {
        let image = try Qcow2Image(path: Fixtures.image("corrupt-leak.qcow2"))
        let analysis = try ImageAnalysis.scan(image)
        let h = image.header
        let l1 = try image.readL1Table()
        let l2 = L1Entry(raw: l1[0]).l2Offset
        // The first data cluster the active L2 table maps, referenced once.
        let bytes = try image.file.readBytes(Int(h.clusterSize), at: l2, for: .l2Table)
        let index = try #require((0..<Int(h.l2Entries)).first { i in
            bytes.withUnsafeBytes { L2Entry(raw: $0.be64(at: i * 8)).hostOffset } != 0
        })
        let host = bytes.withUnsafeBytes { L2Entry(raw: $0.be64(at: index * 8)).hostOffset }
        let cluster = host >> UInt64(h.clusterBits)
        #expect(analysis.computedRefcount(ofCluster: Int(cluster)) == 1)
        let entry = ClusterReference(.l2Entry(snapshot: nil, l1Index: 0, index: index, guestOffset: UInt64(index) * h.clusterSize,
                                              compressed: false), at: l2 + UInt64(index) * 8)

        let blind = ClusterReferences(cluster: cluster, in: image, analysis: analysis, maxL2Bytes: 0)
        #expect(blind.references.isEmpty && !blind.isComplete)

        let known = ClusterReferences(cluster: cluster, in: image, analysis: analysis, known: [entry], maxL2Bytes: 0)
        #expect(known.references == [entry])
        #expect(known.isComplete && known.problems.isEmpty && known.l2TablesRead == 0)

        // Found again by a search with a budget, it is not counted twice.
        let searched = ClusterReferences(cluster: cluster, in: image, analysis: nil, known: [entry])
        #expect(searched.references.count == 1)
    }
}
