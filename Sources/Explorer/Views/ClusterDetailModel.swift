import Formatting
import Analysis
import Qcow2
import Reports

/// Everything the cluster drill-down shows about one host cluster, built once in the background
/// (``ExplorerWork/cluster(_:)``: it reads the cluster, walks the tables for its references and
/// decodes it) and then kept in the ``ClusterDetailCache``: the view only picks rows out of it.
///
/// Rows are a summary (role, stored and counted refcount, findings, references), then the page
/// asked for: *decoded* (the structure the cluster holds, entry by entry, or the decompressed or
/// raw guest data as hex) or *hex* (the raw bytes of the host cluster).
public struct ClusterDetailModel: Sendable {
    public enum Page: Int, Sendable, CaseIterable {
        case decoded, hex
        public var name: String { self == .decoded ? "decoded" : "hex" }
    }

    /// How a line is drawn; the view maps tones to theme styles.
    public enum Tone: Sendable, Hashable {
        case plain, label, title, section, warning, error
        case role(ClusterRole)
    }

    /// One line: its text and, when it points at a cluster, the cluster Enter opens.
    public struct Line: Sendable, Hashable {
        public var text: String
        public var tone: Tone
        public var target: UInt64?
        /// The reference this line is (an L2 entry): the target's drill-down starts from it.
        public var via: ClusterReference?
        public init(_ text: String, _ tone: Tone = .plain, target: UInt64? = nil, via: ClusterReference? = nil) {
            self.text = text
            self.tone = tone
            self.target = target
            self.via = via
        }
    }

    /// Most decoded lines kept (a 2 MiB L2 table with extended entries has 131072 entries).
    public static let maxDecodedLines = 20_000

    public let cluster: UInt64
    public let offset: UInt64
    public let role: ClusterRole?
    public let storedRefcount: UInt64?
    public let computedRefcount: UInt64?
    public let references: ClusterReferences
    /// The fixed first line (stays on screen while the rest scrolls).
    public internal(set) var title = Line("")
    public internal(set) var head: [Line] = []
    public internal(set) var decoded: [Line] = []
    /// The host cluster's bytes (fewer at the end of the file; none past it).
    public let bytes: [UInt8]
    /// Bytes the decoded page dumps after its lines (decompressed data, or raw guest data), and
    /// the offset their dump starts at.
    public internal(set) var decodedBytes: [UInt8] = []
    public internal(set) var decodedBytesOffset: UInt64 = 0

    public init(cluster: UInt64, data: ExplorerData, via: ClusterReference? = nil) {
        let image = data.image
        let bits = UInt64(image.header.clusterBits)
        self.cluster = cluster
        let (start, overflow) = cluster.multipliedReportingOverflow(by: 1 << bits)
        offset = overflow ? .max : start
        let analysis = data.analysis
        let index = Int(clamping: cluster)
        role = analysis?.role(ofCluster: index)
        storedRefcount = analysis?.storedRefcount(ofCluster: index)
        computedRefcount = analysis?.computedRefcount(ofCluster: index)
        references = ClusterReferences(cluster: cluster, in: image, analysis: analysis, known: via.map { [$0] } ?? [])
        bytes = Self.read(image, at: offset, count: image.header.clusterSize)
        buildHead(data)
        decode(data)
    }

    /// The rows of `page`: the summary lines, then the page's lines, then its hex dump.
    public func lines(_ page: Page) -> [Line] {
        page == .decoded ? head + decoded : head + [Line("Raw bytes of host cluster #\(cluster) (\(bytes.count) bytes)", .section)]
    }
    public func dumpBytes(_ page: Page) -> (bytes: [UInt8], offset: UInt64) {
        page == .decoded ? (decodedBytes, decodedBytesOffset) : (bytes, offset)
    }

    /// Up to `count` bytes at `offset`, cut at the end of the file (empty past it or on error).
    static func read(_ image: Qcow2Image, at offset: UInt64, count: UInt64) -> [UInt8] {
        let size = image.file.size
        guard offset < size else { return [] }
        let n = Int(min(count, size - offset))
        return (try? image.file.readBytes(n, at: offset, for: .dataCluster)) ?? []
    }

    /// The title line of cluster `cluster`: number, byte range, size and role (known without
    /// reading anything, so the drill shows it while the model is built).
    public static func title(cluster: UInt64, data: ExplorerData) -> Line {
        let (start, overflow) = cluster.multipliedReportingOverflow(by: data.clusterSize)
        let offset = overflow ? UInt64.max : start
        let role = data.analysis?.role(ofCluster: Int(clamping: cluster))
        let size = Formatted.humanSize(data.clusterSize)
        let end = offset &+ data.clusterSize &- 1
        let roleName = role?.jsonName ?? "role unknown until the scan finishes"
        return Line("Cluster #\(cluster) · \(hex(offset))–\(hex(end)) · \(size) · \(roleName)", role.map { .role($0) } ?? .title)
    }

    private mutating func buildHead(_ data: ExplorerData) {
        title = Self.title(cluster: cluster, data: data)
        if offset >= data.image.file.size {
            head.append(Line("past the end of the file (\(data.image.file.size) bytes): nothing to read", .error))
        }
        switch (storedRefcount, computedRefcount) {
        case (let s?, let c?) where s != c:
            head.append(Line("refcount \(s) stored · \(c) counted — " + (s < c ? "too low: corruption (data may be freed while in use)" : "too high: leaked space"), .error))
        case (let s?, let c?):
            head.append(Line("refcount \(s) stored · \(c) counted", .plain))
        case (nil, let c?):
            head.append(Line("refcount unreadable (refcount block damaged) · \(c) counted", .warning))
        default:
            head.append(Line("refcounts are compared when the scan finishes", .label))
        }
        if let analysis = data.analysis {
            let mine = analysis.findings.sortedSamples.filter { $0.cluster == cluster }
            if !mine.isEmpty {
                head.append(Line(""))
                head.append(Line("Findings (\(mine.count))", .section))
                for f in mine.prefix(50) {
                    head.append(Line("  \(f.kind.rawValue): \(f.message.terminalSafe)", f.severity == .error ? .error : .warning))
                }
            }
        }
        head.append(Line(""))
        let refs = references.references
        head.append(Line("Referenced by (\(refs.count)\(references.isComplete ? "" : "+"))", .section))
        if refs.isEmpty {
            let why = role == .leaked ? "nothing: a leak (its refcount is not 0)" : role == .free ? "nothing: free space" : "nothing found"
            head.append(Line("  " + why, .label))
        }
        for r in refs { head.append(referenceLine(r, data)) }
        for p in references.problems { head.append(Line("  \(p.terminalSafe)", .warning)) }
        head.append(Line(""))
    }
}
