import Qcow2

/// The map of the virtual disk: for every guest byte, which layer of the backing chain answers
/// and what it reads as — exactly what `qemu-img map --output=json` (qemu 7.2) prints.
///
/// Build it from the layers of a chain (top first), walk it as a stream of entries merged the way
/// qemu-img merges them (``forEachEntry(in:strict:_:)``), or condense it into a
/// ``GuestMapSummary`` for the explorer. Nothing is cached between walks; each walk reads the L1
/// and L2 tables once, with one reusable L2 buffer per layer.
public struct GuestMap: Sendable {
    /// The chain, top image first; layer `i` is reported at depth `i`.
    public internal(set) var layers: [GuestMapLayer]
    /// Why the chain is shorter than the images name, or a data file could not be opened.
    public let findings: [Finding]

    public init(layers: [GuestMapLayer], findings: [Finding] = []) {
        self.layers = layers
        self.findings = findings
    }

    /// The map of one qcow2 image without its backing file (unallocated clusters read as zeros).
    public init(image: Qcow2Image, dataFile: (any ByteSource)? = nil) throws(FormatError) {
        let layer = try GuestMapLayer(image: image, dataFile: dataFile)
        layers = [layer]
        findings = layer.damage.map { [$0] } ?? []
    }

    /// Guest bytes mapped: the top layer's length (a qcow2 virtual size rounded down to sectors).
    public var virtualSize: UInt64 { layers.first?.length ?? 0 }

    /// Streams the map of `range` (default: the whole disk), entries merged as qemu-img's
    /// `entry_mergeable` merges them. With `strict`, the first entry QEMU would refuse throws a
    /// ``FormatError`` (as `qemu-img map` fails); otherwise it becomes a finding, returned.
    @discardableResult
    public func forEachEntry(in range: Range<UInt64>? = nil, strict: Bool = true,
                             _ body: (GuestMapEntry) -> Void) throws(FormatError) -> [Finding] {
        var current: GuestMapEntry?
        let findings = try forEachPiece(in: range, strict: strict) { entry, _ in
            if let c = current, c.canAbsorb(entry) {
                current?.length += entry.length
            } else {
                if let c = current { body(c) }
                current = entry
            }
        }
        if let c = current { body(c) }
        return findings
    }

    /// Every merged entry of the map, in guest order.
    public func entries(in range: Range<UInt64>? = nil, strict: Bool = true) throws(FormatError) -> [GuestMapEntry] {
        var out: [GuestMapEntry] = []
        try forEachEntry(in: range, strict: strict) { out.append($0) }
        return out
    }

    /// The unmerged pieces of the walk with their ``GuestState``, in guest order and contiguous.
    /// Pieces are runs of like clusters; consumers that care about states rather than QEMU's
    /// flags (the summary, the explorer) merge them their own way.
    @discardableResult
    public func forEachPiece(in range: Range<UInt64>? = nil, strict: Bool = true,
                             _ body: (GuestMapEntry, GuestState) -> Void) throws(FormatError) -> [Finding] {
        guard !layers.isEmpty else { return [] }
        let size = virtualSize
        let start = min(range?.lowerBound ?? 0, size)
        let end = min(range?.upperBound ?? size, size)
        return try withoutActuallyEscaping(body) { emit throws(FormatError) -> [Finding] in
            let walker = GuestMapWalker(layers: layers, strict: strict, emit: emit)
            try walker.walk(layer: 0, from: start, to: end)
            return walker.findings
        }
    }

    /// The map condensed by state for the explorer: see ``GuestMapSummary``. Never throws on
    /// entries QEMU refuses (they show as ``GuestState/invalid`` and as findings); throws only
    /// when a table cannot be read at all.
    public func summary(clusterSize: UInt64? = nil) throws(FormatError) -> GuestMapSummary {
        var builder = GuestMapSummary.Builder(virtualSize: virtualSize, clusterSize: clusterSize ?? layers.first?.clusterSize ?? 65536)
        let findings = try forEachPiece(strict: false) { entry, state in builder.add(entry, state) }
        return builder.finish(findings: findings)
    }
}
