/// A run of host clusters with the same role.
public struct RoleRun: Sendable, Hashable {
    /// First cluster index.
    public var start: Int
    /// Number of clusters.
    public var count: Int
    public var role: ClusterRole

    public init(start: Int, count: Int, role: ClusterRole) {
        self.start = start
        self.count = count
        self.role = role
    }
    public var end: Int { start + count }
}

/// Free space in the host file: what a compacting copy or `qemu-img check -r leaks` could give back.
public struct FreeSpace: Sendable, Hashable {
    /// Clusters inside the file that nothing references and whose refcount is 0.
    public var freeClusters: UInt64 = 0
    /// Clusters inside the file that nothing references but whose refcount is not 0.
    public var leakedClusters: UInt64 = 0
    /// Runs of free or leaked clusters (holes in the file's use).
    public var holes: UInt64 = 0
    /// The longest such run, in clusters.
    public var largestHole: UInt64 = 0
    public init() {}
}

extension ImageAnalysis {
    /// Calls `body` with each maximal run of same-role clusters in `range` (default: all tracked
    /// clusters), in file order, without building an array.
    public func forEachRoleRun(in range: Range<Int>? = nil, _ body: (RoleRun) -> Void) {
        let lower = max(0, range?.lowerBound ?? 0)
        let upper = min(clusters.count, range?.upperBound ?? clusters.count)
        guard lower < upper else { return }
        var run = RoleRun(start: lower, count: 1, role: clusters.role(at: lower))
        var c = lower + 1
        let roles = clusters.codes
        let ones: UInt64 = 0x0101_0101_0101_0101
        let roleBits = UInt64(ClusterMap.roleMask) &* ones
        var same = UInt64(run.role.rawValue) &* ones
        while c < upper {
            // Long runs (a preallocated file is one run of data) go eight code bytes per test.
            while c &+ 8 <= upper, UnsafeRawPointer(roles + c).loadUnaligned(as: UInt64.self) & roleBits == same {
                run.count += 8
                c &+= 8
            }
            guard c < upper else { break }
            let role = clusters.role(at: c)
            if role == run.role {
                run.count += 1
            } else {
                body(run)
                run = RoleRun(start: c, count: 1, role: role)
                same = UInt64(role.rawValue) &* ones
            }
            c += 1
        }
        body(run)
    }

    /// The runs of ``forEachRoleRun(in:_:)`` as an array.
    public func roleRuns(in range: Range<Int>? = nil) -> [RoleRun] {
        var runs: [RoleRun] = []
        forEachRoleRun(in: range) { runs.append($0) }
        return runs
    }

    /// Clusters per role over all tracked clusters, indexed by ``ClusterRole/rawValue``.
    public func roleCounts() -> [UInt64] {
        var counts = [UInt64](repeating: 0, count: ClusterRole.allCases.count)
        forEachRoleRun { counts[Int($0.role.rawValue)] += UInt64($0.count) }
        return counts
    }

    /// For a heat map of `buckets` cells over the file: the most common role in each cell
    /// (ties go to the rarer, more interesting role: conflict, leaked, metadata before data).
    public func dominantRoles(buckets: Int) -> [ClusterRole] {
        let n = clusters.count
        guard buckets > 0, n > 0 else { return [] }
        var out: [ClusterRole] = []
        out.reserveCapacity(buckets)
        var tally = [Int](repeating: 0, count: ClusterRole.allCases.count)
        for b in 0..<buckets {
            let lower = n * b / buckets, upper = max(lower + 1, n * (b + 1) / buckets)
            for i in tally.indices { tally[i] = 0 }
            for c in lower..<min(upper, n) { tally[Int(clusters.role(at: c).rawValue)] += 1 }
            var best = 0
            for i in tally.indices where tally[i] > tally[best] || (tally[i] == tally[best] && tally[i] > 0 && Self.interest(i) > Self.interest(best)) {
                best = i
            }
            out.append(ClusterRole(rawValue: UInt8(best)) ?? .free)
        }
        return out
    }

    private static func interest(_ raw: Int) -> Int {
        guard let role = ClusterRole(rawValue: UInt8(raw)) else { return 0 }
        switch role {
        case .conflict: return 5
        case .leaked: return 4
        case .free: return 0
        default: return role.isMetadata ? 3 : 1
        }
    }

    /// Free and leaked clusters inside the file, and the holes they form.
    public func freeSpace() -> FreeSpace {
        var space = FreeSpace()
        // Holes: runs of clusters that are free or leaked, whichever.
        var current: UInt64 = 0
        forEachRoleRun(in: 0..<fileClusters) { run in
            guard run.role == .free || run.role == .leaked else {
                if current > 0 {
                    space.holes += 1
                    space.largestHole = max(space.largestHole, current)
                    current = 0
                }
                return
            }
            if run.role == .free { space.freeClusters += UInt64(run.count) } else { space.leakedClusters += UInt64(run.count) }
            current += UInt64(run.count)
        }
        // Past the compared clusters (none when the map covers the file) every role reads free.
        current += UInt64(max(0, fileClusters - clusters.count))
        if current > 0 {
            space.holes += 1
            space.largestHole = max(space.largestHole, current)
        }
        return space
    }
}
