import Analysis
import Foundation
import Qcow2
import Reports
import Testing

/// What the scan promises its users (commands and the explorer), checked on the fixtures.
@Suite struct ScanBehaviourTests {
    @Test func progressEndsAtOneAndCancellationStops() throws {
        let image = try Qcow2Image(path: Fixtures.image("snapshots.qcow2"))
        let progress = ScanProgress()
        _ = try ImageAnalysis.scan(image, progress: progress)
        #expect(progress.fraction == 1)
        #expect(progress.phase == .finished)

        let cancelled = ScanProgress()
        cancelled.cancel()
        #expect(throws: ScanError.cancelled) { try ImageAnalysis.scan(image, progress: cancelled) }
    }

    @Test func rolesOfTheKnownStructures() throws {
        let a = try analyse(Fixtures.image("v3.qcow2"))
        let h = a.header
        #expect(a.role(atOffset: 0) == .header)
        #expect(a.role(atOffset: h.l1TableOffset) == .l1)
        #expect(a.role(atOffset: h.refcountTableOffset) == .refcountTable)
        let counts = a.roleCounts()
        #expect(counts.reduce(0, +) == UInt64(a.clusters.count))
        #expect(counts[Int(ClusterRole.data.rawValue)] == a.check.allocatedClusters)
        #expect(counts[Int(ClusterRole.refcountBlock.rawValue)] == 1)
        #expect(counts[Int(ClusterRole.conflict.rawValue)] == 0)
        #expect(a.findings.total == 0)
    }

    @Test func snapshotRolesAndUsage() throws {
        let a = try analyse(Fixtures.image("snapshots.qcow2"))
        let counts = a.roleCounts()
        for role in [ClusterRole.snapshotTable, .snapshotL1, .snapshotL2, .snapshotData, .dataShared] {
            #expect(counts[Int(role.rawValue)] > 0, "\(role.jsonName)")
        }
        #expect(a.snapshots.count == 2)
        for u in a.snapshots + [a.current] {
            let exclusive = try #require(u.exclusiveBytes)
            #expect(exclusive + (u.sharedBytes ?? 0) == u.referencedBytes)
            #expect(u.referencedBytes % a.clusterSize == 0)
        }
        #expect(a.snapshots[0].parent == nil)
        #expect(a.snapshots[1].parent == 0)
        // A shared data cluster is owned by the current disk and at least one snapshot.
        let shared = try #require((0..<a.clusters.count).first { a.role(ofCluster: $0) == .dataShared })
        let owners = try #require(a.owners(ofCluster: shared))
        #expect(owners.current && !owners.snapshots.isEmpty)
    }

    @Test func leakedClusterIsShownWhereItIs() throws {
        let a = try analyse(Fixtures.image("corrupt-leak.qcow2"))
        let leaked = (0..<a.clusters.count).filter { a.role(ofCluster: $0) == .leaked }
        #expect(leaked.count == 1)
        let finding = try #require(a.findings.samples.first { $0.kind == .leakedCluster })
        #expect(finding.cluster == UInt64(leaked[0]))
        #expect(finding.counting == .leak)
        #expect(a.storedRefcount(ofCluster: leaked[0]) == 1)
        #expect(a.computedRefcount(ofCluster: leaked[0]) == 0)
        #expect(a.freeSpace().leakedClusters == 1)
    }

    @Test func layoutRunsCoverTheFile() throws {
        let a = try analyse(Fixtures.image("snapshots.qcow2"))
        let runs = a.roleRuns()
        #expect(runs.first?.start == 0)
        for (x, y) in zip(runs, runs.dropFirst()) {
            #expect(x.end == y.start)
            #expect(x.role != y.role)
        }
        #expect(runs.last?.end == a.clusters.count)
        let json = LayoutReport(analysis: a, filename: "snapshots.qcow2").json()
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((parsed["runs"] as? [Any])?.count == runs.count)
        let roleBytes = (parsed["roles"] as? [[String: Any]] ?? []).compactMap { ($0["bytes"] as? NSNumber)?.uint64Value }
        #expect(roleBytes.reduce(0, +) == UInt64(a.clusters.count) * a.clusterSize)
        #expect(a.dominantRoles(buckets: 7).count == 7)
    }

    @Test func fragmentationFigures() throws {
        let zlib = try analyse(Fixtures.image("zlib.qcow2"))
        #expect(zlib.fragmentation.compressedClusters == zlib.check.compressedClusters)
        #expect(zlib.fragmentation.allocatedClusters + zlib.fragmentation.compressedClusters == zlib.check.allocatedClusters)
        for name in ["v3.qcow2", "c4k.qcow2", "c512.qcow2", "snapshots.qcow2", "prealloc-meta.qcow2"] {
            let f = try analyse(Fixtures.image(name)).fragmentation
            #expect(f.extents >= f.idealExtents, "\(name)")
            #expect(f.extents - f.idealExtents == f.discontinuities, "\(name)")
            #expect((0...100).contains(f.score), "\(name)")
        }
        // Preallocated metadata lays every cluster out in order: one extent per L2 table run.
        let prealloc = try analyse(Fixtures.image("prealloc-meta.qcow2")).fragmentation
        #expect(prealloc.score == 0)
        #expect(prealloc.band == "fine")
    }

    @Test func imageTextNeverReachesTheTerminalRaw() throws {
        let corpus = Fixtures.root.replacingOccurrences(of: "/Fixtures", with: "/Mutations/corpus")
        let name = corpus + "/rich--names-all.qcow2"
        guard FileManager.default.fileExists(atPath: name) else { return }
        let a = try ImageAnalysis.scan(try Qcow2Image(path: name, limits: .noBacking))
        let texts = [SnapshotsReport(analysis: a).text(), CheckReport(analysis: a, filename: name).text(perKind: 1000),
                     LayoutReport(analysis: a, filename: name).text(maxRuns: nil), FragReport(analysis: a, filename: name, advice: nil).text()]
        for text in texts {
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F..<0xA0).contains($0.value) })
        }
    }

    @Test func checkJSONKeepsQemuKeyOrder() throws {
        let a = try analyse(Fixtures.image("zlib.qcow2"))
        guard case .object(let pairs) = CheckReport(analysis: a, filename: "zlib.qcow2").json() else {
            Issue.record("not an object")
            return
        }
        #expect(Array(pairs.map(\.0).prefix(8)) == ["image-end-offset", "compressed-clusters", "total-clusters", "check-errors",
                                                     "allocated-clusters", "filename", "format", "fragmented-clusters"])
    }
}
