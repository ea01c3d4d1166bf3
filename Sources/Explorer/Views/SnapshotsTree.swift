/// The snapshot tree's shape from inferred parents: which node hangs under which, in what order,
/// and the guide columns (`├─`, `└─`, `│ `) each line needs.
///
/// Parents are *inferred* (``SnapshotUsage/parent``: the earlier snapshot sharing the most
/// clusters) and come from a possibly damaged image, so nothing here trusts them: a parent out
/// of range, a node's own index, or a parent chain that loops is cut, making that node a root.
/// Building is O(n) time and memory for n nodes (a long linear history is the common case);
/// a line's guide text looks at most ``maxGuideLevels`` ancestors.
public struct SnapshotsTree: Sendable, Hashable {
    /// One line of the tree, in display (depth-first) order.
    public struct Line: Sendable, Hashable {
        public var node: Int
        public var depth: Int
    }

    /// Guide columns drawn before deep nodes are folded into one `…`.
    public static let maxGuideLevels = 12

    public let lines: [Line]
    /// The parent each node was drawn under (nil: a root), after cutting bad links.
    public let parents: [Int?]
    /// Whether each node is the last child of its parent (or the last root).
    let isLast: [Bool]

    /// Builds the tree of `parents.count` nodes; children keep index order, roots too.
    public init(parents raw: [Int?]) {
        let n = raw.count
        let parents = Self.sanitized(raw)
        var children = [[Int]](repeating: [], count: n)
        var roots: [Int] = []
        for i in 0..<n {
            if let p = parents[i] { children[p].append(i) } else { roots.append(i) }
        }
        var isLast = [Bool](repeating: false, count: n)
        if let r = roots.last { isLast[r] = true }
        for kids in children { if let k = kids.last { isLast[k] = true } }
        var out: [Line] = []
        out.reserveCapacity(n)
        // Iterative depth-first walk: no recursion as deep as untrusted input says.
        var stack: [Line] = roots.reversed().map { Line(node: $0, depth: 0) }
        while let line = stack.popLast() {
            out.append(line)
            for child in children[line.node].reversed() { stack.append(Line(node: child, depth: line.depth + 1)) }
        }
        lines = out
        self.parents = parents
        self.isLast = isLast
    }

    /// Parents that are in range and not the node itself, with every loop cut once (at the node
    /// where the walk up found it), so each node reaches a root. Three-colour walk, O(n).
    static func sanitized(_ raw: [Int?]) -> [Int?] {
        let n = raw.count
        var result: [Int?] = raw.enumerated().map { i, p in
            guard let p, p >= 0, p < n, p != i else { return nil }
            return p
        }
        var mark = [UInt8](repeating: 0, count: n)  // 0 new, 1 on the current walk, 2 done
        var path: [Int] = []
        for start in 0..<n where mark[start] == 0 {
            var current = start
            while true {
                mark[current] = 1
                path.append(current)
                guard let p = result[current] else { break }
                if mark[p] == 2 { break }
                if mark[p] == 1 {
                    result[current] = nil  // p is on this walk: a loop; cut its last link
                    break
                }
                current = p
            }
            for node in path { mark[node] = 2 }
            path.removeAll(keepingCapacity: true)
        }
        return result
    }

    /// The guide text before `line`'s label: two columns per level (`│ ` where an ancestor has
    /// siblings below, blanks where it was last, then `├─` or `└─`); levels deeper than
    /// ``maxGuideLevels`` are folded into a leading `… `.
    public func prefix(_ line: Line, glyphs: (branch: String, last: String, through: String, space: String),
                       ellipsis: Character = "…") -> String {
        let node = line.node
        guard node >= 0, node < parents.count else { return "" }
        var columns: [String] = []
        var ancestor = parents[node]
        while let a = ancestor, columns.count < Self.maxGuideLevels {
            columns.append(isLast[a] ? glyphs.space : glyphs.through)
            ancestor = parents[a]
        }
        let folded = ancestor != nil ? String(ellipsis) + " " : ""
        return folded + columns.reversed().joined() + (isLast[node] ? glyphs.last : glyphs.branch)
    }
}
