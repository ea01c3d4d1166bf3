import Testing
@testable import Analysis

/// The one-byte cluster codes: a count of 0 or 1 with no COPIED note or a COPIED one stays in the
/// byte; anything else escapes to the side pages, keeping the role, the count (saturating at the
/// refcount width's maximum) and the note.
@Suite struct ClusterMapCodesTests {
    private func map(clusters: Int = 40_000, order: UInt32 = 4) -> ClusterMap {
        ClusterMap(fileClusters: clusters, clusterBits: 16, refcountOrder: order, ownerTracking: false)
    }

    @Test func usualClustersStayDirect() {
        let m = map()
        #expect(m.add(1, at: 7) == 0)
        m.setNote(.copied, at: 7)
        m.codes[7] |= ClusterRole.data.rawValue
        #expect(m.codes[7] & ClusterMap.escaped == 0)
        #expect(m.computedRefcount(at: 7) == 1)
        #expect(m.note(at: 7) == .copied)
        #expect(m.role(at: 7) == .data)
        #expect(m.lowPages[0] == nil)
        m.codes[7] = ClusterMap.withoutNote(m.codes[7])
        #expect(m.note(at: 7) == .none && m.computedRefcount(at: 7) == 1 && m.role(at: 7) == .data)
    }

    @Test func secondReferenceEscapesKeepingRoleAndNote() {
        let m = map()
        m.setFirst(30_000, code: ClusterMap.firstCode(role: .l2, times: 1, note: .copied), count: 1)
        #expect(m.add(1, at: 30_000) == 0)
        #expect(m.codes[30_000] & ClusterMap.escaped != 0)
        #expect(m.computedRefcount(at: 30_000) == 2)
        #expect(m.note(at: 30_000) == .copied)
        #expect(m.role(at: 30_000) == .l2)
        m.setNote(.counted, at: 30_000)
        #expect(m.note(at: 30_000) == .counted && m.computedRefcount(at: 30_000) == 2)
        #expect(m.computedRefcount(at: 30_001) == 0 && m.role(at: 30_001) == .free)
    }

    @Test func notCopiedNoteEscapes() {
        let m = map()
        m.setNote(.notCopied, at: 3)
        #expect(m.note(at: 3) == .notCopied && m.computedRefcount(at: 3) == 0)
        #expect(m.add(1, at: 3) == 0)
        #expect(m.computedRefcount(at: 3) == 1)
        m.codes[3] = ClusterMap.withoutNote(m.codes[3])
        #expect(m.note(at: 3) == .none && m.computedRefcount(at: 3) == 1)
    }

    @Test func firstCodesOfSharedTablesAreEscaped() {
        let m = map()
        m.setFirst(9, code: ClusterMap.firstCode(role: .dataShared, times: 3, note: .notCopied), count: 3)
        #expect(m.computedRefcount(at: 9) == 3 && m.note(at: 9) == .notCopied && m.role(at: 9) == .dataShared)
    }

    @Test func countsSaturateAtTheWidth() {
        let m = map(order: 4)
        #expect(m.add(60_000, at: 5) == 0)
        #expect(m.add(10_000, at: 5) == 70_000 - 65_535)
        #expect(m.computedRefcount(at: 5) == 65_535)
        let one = map(order: 0)
        #expect(one.add(1, at: 2) == 0)
        #expect(one.add(2, at: 2) == 2)
        #expect(one.computedRefcount(at: 2) == 1)
        #expect(one.codes[2] & ClusterMap.escaped == 0)
        let wide = map(order: 6)
        #expect(wide.add(UInt64(1) << 39, at: 1) == 0)
        #expect(wide.add(UInt64(1) << 39, at: 1) == 1)
        #expect(wide.computedRefcount(at: 1) == (UInt64(1) << 40) - 1)
    }
}
