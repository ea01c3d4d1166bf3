import Analysis
import Synchronization

/// Host clusters per role, summed in chunks of 256 once after the scan, so the host map can
/// summarise any cell of any zoom of a multi-terabyte file without visiting every cluster
/// on every frame.
///
/// A cell's counts are the chunk sums it covers plus at most two partial chunks read cluster by
/// cluster. Memory is 2 bytes per role per chunk: about 0.15 bytes per host cluster (10 MiB for a
/// 4 TiB file of 64 KiB clusters). The last cell list computed is kept, so moving the cursor
/// costs nothing; only scrolling and zooming summarise again.
public final class HostMapSummary: Sendable {
    public static let chunkBits = 8
    static let roleCount = ClusterRole.allCases.count

    /// Host clusters the map shows (the clusters the scan tracked).
    public let clusterCount: Int
    /// Clusters per role over the whole file, indexed by ``ClusterRole/rawValue``.
    public let totals: RoleCounts
    let analysis: ImageAnalysis
    /// Clusters a corruption finding is about (stored refcount too low, a wrong COPIED flag, a
    /// reference counted twice…), sorted: the map marks them whatever their role. From the kept
    /// finding samples (the first ``FindingLog/samplesPerKind`` of each kind).
    public let corrupt: [UInt64]
    /// `chunks[k * roleCount + role]`: clusters of `role` in chunk `k`.
    private let chunks: [UInt16]
    private let lastCells = Mutex<(key: [Range<UInt64>], cells: [RoleCounts])?>(nil)

    public init(analysis: ImageAnalysis) {
        self.analysis = analysis
        let n = max(0, analysis.clusters.count)
        clusterCount = n
        let chunkCount = (n + (1 << Self.chunkBits) - 1) >> Self.chunkBits
        var chunks = [UInt16](repeating: 0, count: chunkCount * Self.roleCount)
        var totals = [UInt64](repeating: 0, count: Self.roleCount)
        let map = analysis.clusters
        let roles = Self.roleCount
        chunks.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for c in 0..<n { base[(c >> Self.chunkBits) &* roles &+ Int(map.role(at: c).rawValue)] &+= 1 }
        }
        for k in 0..<chunkCount {
            for r in 0..<Self.roleCount { totals[r] &+= UInt64(chunks[k * Self.roleCount + r]) }
        }
        self.chunks = chunks
        self.totals = RoleCounts(totals)
        let limit = UInt64(n)
        corrupt = Array(Set(analysis.findings.samples.lazy.filter { $0.counting == .corruption }
            .compactMap { $0.cluster.flatMap { $0 < limit ? $0 : nil } })).sorted()
    }

    /// Clusters per role in `range` (clamped to the map).
    public func counts(in range: Range<UInt64>) -> RoleCounts {
        var tally = [UInt64](repeating: 0, count: Self.roleCount)
        let lower = Int(clamping: min(range.lowerBound, UInt64(clusterCount)))
        let upper = Int(clamping: min(range.upperBound, UInt64(clusterCount)))
        guard lower < upper else { return RoleCounts(tally) }
        let size = 1 << Self.chunkBits
        let firstFull = (lower + size - 1) >> Self.chunkBits
        let lastFull = upper >> Self.chunkBits          // chunks firstFull..<lastFull are whole
        let map = analysis.clusters
        if firstFull >= lastFull {
            for c in lower..<upper { tally[Int(map.role(at: c).rawValue)] &+= 1 }
            return RoleCounts(tally)
        }
        for c in lower..<(firstFull << Self.chunkBits) { tally[Int(map.role(at: c).rawValue)] &+= 1 }
        for k in firstFull..<lastFull {
            let base = k * Self.roleCount
            for r in 0..<Self.roleCount where chunks[base + r] != 0 { tally[r] &+= UInt64(chunks[base + r]) }
        }
        for c in (lastFull << Self.chunkBits)..<upper { tally[Int(map.role(at: c).rawValue)] &+= 1 }
        return RoleCounts(tally)
    }

    /// The counts of every cell of `ranges` (a viewport's ``HeatmapViewport/cellRanges``),
    /// reusing the last answer when the ranges are the same.
    public func cells(_ ranges: [Range<UInt64>]) -> [RoleCounts] {
        if let last = lastCells.withLock({ $0 }), last.key == ranges { return last.cells }
        let cells = ranges.map(counts(in:))
        lastCells.withLock { $0 = (ranges, cells) }
        return cells
    }

    /// Clusters of `role` in chunk `k`.
    func chunkCount(_ k: Int, _ role: ClusterRole) -> UInt16 { chunks[k * Self.roleCount + Int(role.rawValue)] }

    /// The first cluster of `role` in `range`, or nil.
    public func firstCluster(of role: ClusterRole, in range: Range<UInt64>) -> UInt64? {
        let upper = min(range.upperBound, UInt64(clusterCount))
        var c = range.lowerBound
        while c < upper {
            if analysis.role(ofCluster: Int(c)) == role { return c }
            c += 1
        }
        return nil
    }
}

/// Clusters per ``ClusterRole`` (indexed by raw value) in some range of the host file.
public struct RoleCounts: Sendable, Hashable {
    public private(set) var counts: [UInt64]

    public init(_ counts: [UInt64]) {
        var c = counts
        if c.count < ClusterRole.allCases.count { c += Array(repeating: 0, count: ClusterRole.allCases.count - c.count) }
        self.counts = c
    }

    public subscript(role: ClusterRole) -> UInt64 { counts[Int(role.rawValue)] }
    public var total: UInt64 { counts.reduce(0, &+) }
    public var used: UInt64 { total - self[.free] }
    public var problems: UInt64 { self[.leaked] &+ self[.conflict] }

    /// The role a cell is coloured with: a conflict or a leak whenever there is one (problems
    /// must stay visible in a mostly healthy cell), else the most common role other than free
    /// (ties go to the earlier role: metadata before data), else free.
    public var dominant: ClusterRole {
        if self[.conflict] > 0 { return .conflict }
        if self[.leaked] > 0 { return .leaked }
        var best = ClusterRole.free
        var most: UInt64 = 0
        for role in ClusterRole.allCases where role != .free && self[role] > most {
            best = role
            most = self[role]
        }
        return best
    }

    /// The non-free fraction, 0…1 (the cell's glyph density).
    public var fill: Double { total == 0 ? 0 : Double(used) / Double(total) }

    /// The roles present, most common first (ties in role order).
    public var present: [(role: ClusterRole, count: UInt64)] {
        ClusterRole.allCases.filter { self[$0] > 0 }.map { ($0, self[$0]) }.sorted { $0.count > $1.count }
    }
}
