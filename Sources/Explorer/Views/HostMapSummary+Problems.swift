import Analysis

/// The host map's problem clusters and how `n` / `N` step through them, worst first: the
/// corrupted clusters and conflicts (data may be lost) in file order, then the leaks (space
/// wasted) in file order, wrapping around.
extension HostMapSummary {
    /// How bad a problem cluster is: ``severe`` comes first in `n` / `N`.
    public enum ProblemTier: Int, Sendable, CaseIterable {
        /// A conflict (two structures claim it) or a corruption finding about it.
        case severe
        /// A leak: nothing references it, its refcount is not 0.
        case leak
    }

    /// Whether cluster `cluster` carries a corruption finding.
    public func isCorrupt(_ cluster: UInt64) -> Bool { corruptIndex(atOrAfter: cluster).map { corrupt[$0] == cluster } ?? false }

    /// Whether a corrupted cluster lies in `range`.
    public func hasCorrupt(in range: Range<UInt64>) -> Bool {
        corruptIndex(atOrAfter: range.lowerBound).map { corrupt[$0] < range.upperBound } ?? false
    }

    /// Corrupted clusters in `range`.
    public func corruptCount(in range: Range<UInt64>) -> Int {
        let low = corruptIndex(atOrAfter: range.lowerBound) ?? corrupt.count
        let high = corruptIndex(atOrAfter: range.upperBound) ?? corrupt.count
        return max(0, high - low)
    }

    /// Index of the first corrupted cluster at or after `cluster` (binary search).
    func corruptIndex(atOrAfter cluster: UInt64) -> Int? {
        var low = 0, high = corrupt.count
        while low < high {
            let mid = (low + high) / 2
            if corrupt[mid] < cluster { low = mid + 1 } else { high = mid }
        }
        return low < corrupt.count ? low : nil
    }

    /// The tier of `cluster`, or nil when it is not a problem.
    public func tier(of cluster: UInt64) -> ProblemTier? {
        guard cluster < UInt64(clusterCount) else { return nil }
        let role = analysis.role(ofCluster: Int(cluster))
        if role == .conflict || isCorrupt(cluster) { return .severe }
        return role == .leaked ? .leak : nil
    }

    /// Whether the file has problems of `tier`.
    public func has(_ tier: ProblemTier) -> Bool {
        tier == .severe ? totals[.conflict] > 0 || !corrupt.isEmpty : totals[.leaked] > 0
    }

    /// The stop of `n` (forward) or `N` after `cluster`: the next problem of the cursor's tier in
    /// file order, else the first (last, going back) of the next tier that has any, severe
    /// problems first; from a cluster that is no problem, the worst tier's first (or last). Nil
    /// when the file has no problem.
    public func nextProblem(after cluster: UInt64, forward: Bool) -> UInt64? {
        let tiers = ProblemTier.allCases.filter(has)
        guard !tiers.isEmpty else { return nil }
        var position: Int
        if let here = tier(of: cluster), let i = tiers.firstIndex(of: here) {
            if let hit = step(tiers[i], from: cluster, forward: forward) { return hit }
            position = (i + (forward ? 1 : tiers.count - 1)) % tiers.count
        } else {
            position = 0
        }
        for _ in 0..<tiers.count {
            let start: UInt64? = forward ? 0 : UInt64(clusterCount - 1)
            if let start {
                if tier(of: start) == tiers[position] { return start }
                if let hit = step(tiers[position], from: start, forward: forward) { return hit }
            }
            position = (position + 1) % tiers.count
        }
        return nil
    }

    /// The next (or previous) cluster of `tier` strictly after (before) `cluster`, without wrapping.
    func step(_ tier: ProblemTier, from cluster: UInt64, forward: Bool) -> UInt64? {
        switch tier {
        case .leak:
            return scan(.leaked, from: cluster, forward: forward)
        case .severe:
            let conflict = scan(.conflict, from: cluster, forward: forward)
            let marked: UInt64?
            if forward {
                marked = cluster == .max ? nil : corruptIndex(atOrAfter: cluster + 1).map { corrupt[$0] }
            } else {
                let i = corruptIndex(atOrAfter: cluster) ?? corrupt.count
                marked = i > 0 ? corrupt[i - 1] : nil
            }
            let candidates = [conflict, marked].compactMap { $0 }
            return forward ? candidates.min() : candidates.max()
        }
    }

    /// The nearest cluster of `role` strictly after (before) `cluster`; chunks without one are skipped.
    func scan(_ role: ClusterRole, from cluster: UInt64, forward: Bool) -> UInt64? {
        let n = clusterCount
        guard n > 0 else { return nil }
        var c = Int(clamping: min(cluster, UInt64(n)))
        while true {
            c += forward ? 1 : -1
            guard c >= 0, c < n else { return nil }
            let k = c >> Self.chunkBits
            if chunkCount(k, role) == 0 {
                c = forward ? ((k + 1) << Self.chunkBits) - 1 : k << Self.chunkBits
                continue
            }
            if analysis.role(ofCluster: c) == role { return UInt64(c) }
        }
    }
}
