import Qcow2

/// Everything the explorer's guest-map view needs from one walk of the map: the state summary,
/// the host jumps for the fragmentation overlay, and the disk's totals per kind (so the legend
/// never recounts a 4 TiB disk per frame).
public struct GuestMapOverview: Sendable {
    public let summary: GuestMapSummary
    public let jumps: GuestJumpIndex
    /// Cluster counts of the whole disk.
    public let totals: GuestClusterCounts
}

extension GuestMap {
    /// One walk (``forEachPiece(in:strict:_:)``, never strict) feeding both the
    /// ``GuestMapSummary`` builder and a ``GuestJumpIndex``. Throws only when a table cannot be
    /// read at all, like ``summary(clusterSize:)``.
    public func overview(clusterSize: UInt64? = nil, jumpLimit: Int = GuestJumpIndex.defaultLimit) throws(FormatError) -> GuestMapOverview {
        let cs = clusterSize ?? layers.first?.clusterSize ?? 65536
        var summary = GuestMapSummary.Builder(virtualSize: virtualSize, clusterSize: cs)
        var jumps = GuestJumpIndex.Builder(clusterSize: cs, limit: jumpLimit)
        let findings = try forEachPiece(strict: false) { entry, state in
            summary.add(entry, state)
            jumps.add(entry, state)
        }
        let finished = summary.finish(findings: findings)
        return GuestMapOverview(summary: finished, jumps: jumps.index,
                                totals: finished.counts(clusters: 0..<finished.clusterCount))
    }

    /// The host offset of guest byte `offset` and the depth of the layer holding it: nil when
    /// nothing is mapped there (zero, unallocated, compressed or encrypted). Reads one L2 table
    /// of each layer it has to look through; invalid entries read as unmapped. With
    /// `revealingEncrypted`, encrypted layers give the host offset of their ciphertext too, which
    /// qemu-img map hides.
    public func hostOffset(ofGuest offset: UInt64, revealingEncrypted: Bool = false) -> (offset: UInt64, depth: Int)? {
        guard offset < virtualSize else { return nil }
        var map = self
        if revealingEncrypted { for i in map.layers.indices { map.layers[i].encrypted = false } }
        var found: (UInt64, Int)?
        _ = try? map.forEachPiece(in: offset..<(offset + 1), strict: false) { entry, state in
            guard found == nil, state != .invalid, let host = entry.offset else { return }
            found = (host, entry.depth)
        }
        return found
    }
}
