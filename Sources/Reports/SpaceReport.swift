import Qcow2
import Analysis
import Guest

/// `qcowscope space`: where the image file's bytes go, volume by volume, and what the guest could
/// give back — "why is my qcow2 bigger than my data".
///
/// JSON (issue 10; scripts rely on these keys): `filename`, `virtual-size`, `file-size`,
/// `cluster-size`, `reclaimable-bytes` (sum over volumes), `outside-volumes-bytes`, `breakdown`
/// (categories in bytes summing to `file-size`: ``SpaceBreakdown``), `volumes` (guest order) and
/// `findings` (severity, structure, offset, message; guest structures carry guest offsets). Beside
/// them: `allocation-unit`, `allocated-bytes` and `snapshots` (name, id, `exclusive-bytes`: what
/// deleting it alone frees). Each volume: `start`, `length`, `table`, `partition`, `type`,
/// `filesystem`, `label`, `uuid`, `block-size`, `blocks`, `free-blocks`, `allocated-bytes`,
/// `reclaimable-bytes`, `segments` (logical and physical volumes); beside them `name`,
/// `used-bytes`, `free-bytes`, `possibly-stale`, `not-analysed`, and `reclaimable-extents` (guest
/// `start`/`length`: zeroing exactly these changes no byte the filesystem uses).
public struct SpaceReport: Sendable {
    public let analysis: ImageAnalysis
    public let usage: VolumeUsage
    public let filename: String
    /// Findings of opening the image and its backing chain, before the guest's.
    public let imageFindings: [Finding]
    /// The file's bytes by category (``VolumeUsage/breakdown(_:)``), computed once.
    public let breakdown: SpaceBreakdown

    public init(analysis: ImageAnalysis, usage: VolumeUsage, filename: String, imageFindings: [Finding] = []) {
        self.analysis = analysis
        self.usage = usage
        self.filename = filename
        self.imageFindings = imageFindings
        breakdown = usage.breakdown(analysis)
    }

    /// Every finding of the report, image first.
    public var findings: [Finding] { imageFindings + usage.findings }

    public func json() -> JSONValue {
        return jsonObject([
            ("filename", .string(filename)),
            ("virtual-size", .uint(analysis.header.size)),
            ("file-size", .uint(analysis.fileSize)),
            ("cluster-size", .uint(analysis.clusterSize)),
            ("reclaimable-bytes", .uint(usage.reclaimableBytes)),
            ("outside-volumes-bytes", .uint(usage.outsideVolumesBytes)),
            ("breakdown", .object(breakdown.categories.map { ($0.key, JSONValue.uint($0.bytes)) })),
            ("volumes", .array(usage.volumes.map(Self.volumeJSON))),
            ("findings", .array(findings.map(\.json))),
            ("allocation-unit", .uint(usage.allocationUnit)),
            ("allocated-bytes", .uint(GuestExtents.total(usage.allocated))),
            ("snapshots", .array(snapshotsFreed.map { s in
                jsonObject([("id", .string(s.id)), ("name", .string(s.name)), ("exclusive-bytes", .uint(s.bytes))])
            })),
            inUsePair(analysis.inUse),
        ])
    }

    static func volumeJSON(_ v: VolumeUsage.Volume) -> JSONValue {
        let g = v.volume
        let fs = g.filesystem
        func optional(_ value: UInt64?) -> JSONValue { value.map(JSONValue.uint) ?? .null }
        func extents(_ list: [GuestExtent]) -> JSONValue {
            .array(list.map { .object([("start", .uint($0.start)), ("length", .uint($0.length))]) })
        }
        let hasSegments = g.table == .lvm || fs.kind == .lvm2
        return jsonObject([
            ("start", .uint(g.start)),
            ("length", .uint(g.length)),
            ("table", .string(g.table.rawValue)),
            ("partition", g.partition.map { .int(Int64($0)) } ?? .null),
            ("type", g.type.map(JSONValue.string) ?? .null),
            ("filesystem", .string(fs.kind.rawValue)),
            ("label", fs.label.map(JSONValue.string) ?? .null),
            ("uuid", fs.uuid.map(JSONValue.string) ?? .null),
            ("block-size", optional(fs.blockSize)),
            ("blocks", optional(fs.blocks)),
            ("free-blocks", optional(fs.freeBlocks)),
            ("allocated-bytes", .uint(v.allocatedBytes)),
            ("reclaimable-bytes", .uint(v.reclaimableBytes)),
            ("segments", hasSegments ? extents(g.segments) : nil),
            ("name", g.name.map(JSONValue.string)),
            ("used-bytes", optional(v.usedBytes)),
            ("free-bytes", optional(v.freeBytes)),
            ("possibly-stale", .bool(fs.possiblyStale)),
            ("not-analysed", fs.notAnalysedReason.map(JSONValue.string) ?? (fs.isAnalysed ? .null : .string("not analysed"))),
            ("reclaimable-extents", extents(v.reclaimableExtents)),
        ])
    }

    /// Snapshots whose deletion alone frees something (the scan's exclusive bytes), largest first.
    public var snapshotsFreed: [(id: String, name: String, bytes: UInt64)] {
        analysis.snapshots.compactMap { u -> (String, String, UInt64)? in
            guard let s = u.snapshot, let bytes = u.exclusiveBytes else { return nil }
            return (s.id.string, s.name.string, bytes)
        }.sorted { $0.2 > $1.2 }
    }
}
