import Formatting
import Analysis
import Qcow2
import Reports

/// The snapshots view's rows: the backing chain as a trunk (base first, down to this image),
/// then the internal snapshots as a tree under the image (parents inferred from shared
/// clusters, ``SnapshotsTree``), the current state as one more node; or, sorted, a flat list of
/// snapshots and the current state by exclusive bytes, largest first (ncdu's order).
/// Image text (names, ids, paths) is escaped here, once.
public struct SnapshotsViewModel: Sendable {
    public enum Node: Sendable, Hashable {
        /// A file of the backing chain at this depth (0 = this image).
        case layer(depth: Int)
        /// Snapshot table entry `index`.
        case snapshot(index: Int)
        /// The current (active) state of the disk.
        case current
    }

    public struct Row: Sendable, Hashable {
        public var node: Node
        /// Tree guides before the name ("" in the sorted list).
        public var guide: String
        public var id: String
        public var name: String
        public var date: String
        public var referenced: UInt64?
        public var exclusive: UInt64?
        public var shared: UInt64?
    }

    public private(set) var rows: [Row] = []
    /// The largest exclusive byte count among the rows (the bars' 100%).
    public let maxExclusive: UInt64
    public let order: Order
    /// The rows' order: the tree, or by exclusive bytes (`s`).
    public enum Order: Sendable, Hashable { case tree, exclusiveBytes }

    public init(data: ExplorerData, order: Order, guides: (branch: String, last: String, through: String, space: String) = ("├─ ", "└─ ", "│  ", "   "),
                ellipsis: Character = "…") {
        self.order = order
        let snapshots = data.info.snapshots
        let usage = data.analysis?.snapshots
        let current = data.analysis?.current
        func usageOf(_ node: Node) -> SnapshotUsage? {
            switch node {
            case .snapshot(let i): return usage.flatMap { i < $0.count ? $0[i] : nil }
            case .current: return current
            case .layer: return nil
            }
        }
        func row(_ node: Node, guide: String) -> Row {
            let u = usageOf(node)
            switch node {
            case .layer(let depth):
                let layer = data.chain.layers[depth]
                let role = depth == 0 ? "this image" : "backing \(depth)"
                return Row(node: node, guide: guide, id: "", name: layer.displayName, date: "\(layer.format.terminalSafe) · \(role)",
                           referenced: nil, exclusive: nil, shared: nil)
            case .snapshot(let i):
                let s = snapshots[i]
                return Row(node: node, guide: guide, id: s.id.escaped, name: s.name.escaped, date: Formatted.date(s.dateSeconds),
                           referenced: u?.referencedBytes, exclusive: u?.exclusiveBytes, shared: u?.sharedBytes)
            case .current:
                return Row(node: node, guide: guide, id: "", name: "● current", date: "now",
                           referenced: u?.referencedBytes, exclusive: u?.exclusiveBytes, shared: u?.sharedBytes)
            }
        }

        let nodes: [Node] = snapshots.indices.map { Node.snapshot(index: $0) } + [.current]
        switch order {
        case .tree:
            // Trunk: base (deepest) first, this image last; the snapshots hang under the image.
            let layers = data.chain.layers.count
            for depth in stride(from: layers - 1, through: 0, by: -1) {
                rows.append(row(.layer(depth: depth), guide: depth == layers - 1 ? "" : guides.last))
            }
            let indent = layers > 1 ? guides.space : ""
            var parents: [Int?] = snapshots.indices.map { usageOf(.snapshot(index: $0))?.parent }
            parents.append(current?.parent)
            let tree = SnapshotsTree(parents: parents)
            for line in tree.lines {
                rows.append(row(nodes[line.node], guide: indent + tree.prefix(line, glyphs: guides, ellipsis: ellipsis)))
            }
        case .exclusiveBytes:
            let all = nodes.map { row($0, guide: "") }
            rows = all.enumerated().sorted { a, b in
                let x = a.element.exclusive ?? 0, y = b.element.exclusive ?? 0
                if (a.element.exclusive == nil) != (b.element.exclusive == nil) { return a.element.exclusive != nil }
                return x != y ? x > y : a.offset < b.offset
            }.map(\.element)
        }
        maxExclusive = rows.compactMap(\.exclusive).max() ?? 0
    }

    /// The fraction of the largest exclusive size this row's bar shows (0 without figures).
    public func barFraction(_ row: Row) -> Double {
        guard let e = row.exclusive, maxExclusive > 0 else { return 0 }
        return Double(e) / Double(maxExclusive)
    }

    /// The detail lines for the selected row: VM clock and state size, disk size, L1 table,
    /// inferred parent and what it shares with it.
    public static func details(_ row: Row, data: ExplorerData) -> [(label: String, value: String)] {
        let size = Formatted.humanSize
        switch row.node {
        case .layer(let depth):
            let layer = data.chain.layers[depth]
            var out = [("file", layer.displayPath), ("format", layer.format.terminalSafe),
                       ("file size", size(layer.file.size))]
            if let h = layer.image?.header { out.append(("virtual size", "\(size(h.size)) (\(h.size) bytes)")) }
            out.append(("depth", depth == 0 ? "0: this image" : "\(depth): backing file"))
            return out
        case .snapshot(let i):
            let s = data.info.snapshots[i]
            let u = data.analysis.flatMap { i < $0.snapshots.count ? $0.snapshots[i] : nil }
            var out = [("vm clock", Formatted.clock(s.vmClockNanoseconds)), ("vm state", size(s.vmStateSize)),
                       ("disk size", size(u?.diskSize ?? s.diskSize ?? data.header.size)),
                       ("l1 table", "\(hex(s.l1TableOffset)), \(Formatted.count(s.l1Size, "entry", "entries"))")]
            if let icount = s.icount { out.append(("icount", "\(icount)")) }
            out.append(parentLine(u, data: data))
            return out
        case .current:
            let u = data.analysis?.current
            return [("disk size", size(data.header.size)),
                    ("l1 table", "\(hex(data.header.l1TableOffset)), \(Formatted.count(data.header.l1Size, "entry", "entries"))"), parentLine(u, data: data)]
        }
    }

    static func parentLine(_ u: SnapshotUsage?, data: ExplorerData) -> (label: String, value: String) {
        guard let u else { return ("parent", data.isScanning ? "… (scanning)" : "unknown") }
        guard let p = u.parent, p < data.info.snapshots.count else { return ("parent", "none inferred (shares no clusters with an earlier snapshot)") }
        let s = data.info.snapshots[p]
        return ("parent", "\(s.id.escaped) \"\(s.name.escaped)\" (inferred: shares \(Formatted.humanSize(u.sharedWithParentBytes)))")
    }
}
