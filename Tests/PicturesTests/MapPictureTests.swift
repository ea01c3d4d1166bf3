import Analysis
import Explorer
import Foundation
@testable import Pictures
import Qcow2
import TerminalUI
import TestSupport
import Testing

/// Map pictures: every pixel in its role's colour on fixtures whose layout the scan knows, the
/// Hilbert walk, the scale on large maps, a golden, and the command line writing the same bytes.
@Suite struct MapPictureTests {
    static let fixture = FixturePaths.root + "/images/snapshots.qcow2"

    static func analysis(_ path: String = fixture) throws -> ImageAnalysis {
        try ImageAnalysis.scan(try Qcow2Image(file: try ReadOnlyFile(path: path)))
    }

    @Test(arguments: MapGeometry.Curve.allCases)
    func hostPixelsHaveTheirRolesColour(curve: MapGeometry.Curve) throws {
        let analysis = try Self.analysis()
        let n = analysis.clusters.count
        let geometry = MapGeometry(clusters: UInt64(n), width: 64, curve: curve)
        #expect(geometry.clustersPerPixel == 1 && geometry.groups == n)
        let picture = MapPicture.host(analysis, geometry: geometry, title: "snapshots.qcow2")
        let decoded = try PNGReader(picture.png())
        let theme = Theme()
        var roles: Set<ClusterRole> = []
        for c in 0..<n {
            let role = analysis.role(ofCluster: c)
            roles.insert(role)
            let p = picture.pixel(ofGroup: c)
            #expect(decoded[p.x, p.y] == RGB(theme.color(role)), "cluster \(c) (\(role.jsonName)) at \(p)")
        }
        // The fixture's roles, so the test means something: metadata, snapshots, data, free.
        #expect(roles.isSuperset(of: [.header, .l1, .l2, .refcountTable, .snapshotTable, .dataShared, .snapshotData, .free]))
        #expect(decoded[picture.pixel(ofGroup: 0).x, picture.pixel(ofGroup: 0).y] == RGB(theme.color(.header)))
    }

    @Test func hilbertNeighboursTouch() {
        let geometry = MapGeometry(clusters: 1000, width: 256, curve: .hilbert)
        #expect(geometry.columns == 32 && geometry.rows == 32 && geometry.scale == 8)
        for g in 1..<geometry.groups {
            let a = geometry.position(of: g - 1), b = geometry.position(of: g)
            #expect(abs(a.x - b.x) + abs(a.y - b.y) == 1)
        }
    }

    @Test func largeMapsGroupClustersToStaySane() {
        // 4 TiB of 64 KiB clusters at the default width: 256 × 256 pixels at most.
        let geometry = MapGeometry(clusters: 1 << 26, width: 256, curve: .linear)
        #expect(geometry.clustersPerPixel == 1024 && geometry.columns == 256 && geometry.rows == 256 && geometry.scale == 1)
        let hilbert = MapGeometry(clusters: (1 << 26) + 1, width: 300, curve: .hilbert)
        #expect(hilbert.columns == 256 && hilbert.clustersPerPixel == 1025)
        #expect(hilbert.clusters(of: hilbert.groups - 1).count >= 1)
    }

    @Test func groupsAreShadedByUse() {
        let free = RGB(10, 10, 10), data = RGB(0, 200, 0)
        #expect(MapPicture.shaded(data, over: free, fill: 1) == data)
        #expect(MapPicture.shaded(data, over: free, fill: 0) == free)
        #expect(MapPicture.shaded(data, over: free, fill: 0.5).green < data.green)
    }

    @Test func hostPictureMatchesTheGolden() throws {
        let analysis = try Self.analysis(FixturePaths.root + "/images/c4k.qcow2")
        let geometry = MapGeometry(clusters: UInt64(analysis.clusters.count), width: 128, curve: .hilbert)
        let png = try MapPicture.host(analysis, geometry: geometry, title: "c4k.qcow2").png()
        let difference = try PictureTools.compareWithGolden(png, "layout-c4k-hilbert.png")
        #expect(difference == nil, "\(difference ?? "")")
    }

    /// A disk written by qemu-io at known offsets: data, zero and compressed clusters where they
    /// were written, unallocated elsewhere.
    @Test(.enabled(if: Tools.qemu)) func guestPixelsHaveTheirKindsColour() throws {
        let dir = try Tools.temporaryDirectory("qcowscope-pictures")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Tools.run(["qemu-img", "create", "-q", "-f", "qcow2", "-o", "cluster_size=65536", "disk.qcow2", "4M"], in: dir)
        for command in ["write -P 1 0 64k", "write -P 2 320k 128k", "write -z 1M 64k", "write -c -P 3 2M 64k"] {
            let result = try Tools.run(["qemu-io", "-f", "qcow2", "-c", command, "disk.qcow2"], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let image = try Qcow2Image(file: try ReadOnlyFile(path: dir + "/disk.qcow2"))
        let summary = try GuestMap(chain: BackingChain.open(top: image)).overview().summary
        let geometry = MapGeometry(clusters: summary.clusterCount, width: 64, curve: .linear)
        let picture = MapPicture.guest(summary, geometry: geometry, title: "disk.qcow2")
        let decoded = try PNGReader(picture.png())
        let theme = Theme()
        let expected: [Int: GuestClusterKind] = [0: .data, 5: .data, 6: .data, 16: .zero, 32: .compressed]
        for c in 0..<64 {
            let kind = expected[c] ?? .unallocated
            let p = picture.pixel(ofGroup: c)
            #expect(decoded[p.x, p.y] == RGB(theme.color(kind)), "guest cluster \(c) should be \(kind.label)")
        }
        #expect(picture.legend.map(\.label) == ["data 3", "compressed 1", "zero 1", "unallocated 59"])
    }
}
