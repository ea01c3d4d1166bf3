import Analysis

/// What the guest map says about the cell under the cursor: its guest range, counts by kind,
/// jumps, and the first cluster in it that has a host offset (looked up on demand, one L2 table
/// per layer, at most a few lookups per frame).
extension GuestMapViewModel {
    /// A guest cluster that reads from a host cluster.
    public struct Mapping: Sendable, Hashable {
        /// Guest byte offset.
        public var guest: UInt64
        /// Host byte offset in the file of layer `depth` (its data file when it has one).
        public var host: UInt64
        public var depth: Int
    }

    public struct CursorInfo: Sendable, Hashable {
        public var clusters: Range<UInt64>
        public var bytes: Range<UInt64>
        public var counts: GuestClusterCounts
        public var jumps: Int
        /// False when the jump index was truncated before this cell.
        public var jumpsExact: Bool
        public var firstMapping: Mapping?
    }

    /// Extents examined, and host lookups made, while looking for a cell's first mapping.
    static let mappingSearchExtents = 4096
    static let mappingSearchLookups = 4

    public var cursorInfo: CursorInfo? {
        guard let source, units > 0 else { return nil }
        let clusters = cursorRange.isEmpty ? state.cursor..<(state.cursor + 1) : cursorRange
        let bytes = byteRange(clusters)
        return source.cache.cursor(.init(source: source.key, clusters: clusters)) {
            let jumps = source.overview.jumps.count(in: clusters)
            return CursorInfo(clusters: clusters, bytes: bytes, counts: source.summary.counts(clusters: clusters),
                              jumps: jumps.count, jumpsExact: jumps.exact, firstMapping: firstMapping(in: bytes))
        }
    }

    /// The first guest byte of `bytes` whose cluster has a host offset, walking the summary's
    /// extents of mapped states (data, preallocated zero, raw data) in guest order.
    public func firstMapping(in bytes: Range<UInt64>) -> Mapping? {
        guard let source, !bytes.isEmpty, var k = source.summary.extentIndex(containing: bytes.lowerBound) else { return nil }
        let summary = source.summary
        var examined = 0
        var lookups = 0
        while k < summary.extentCount, summary.starts[k] < bytes.upperBound,
              examined < Self.mappingSearchExtents, lookups < Self.mappingSearchLookups {
            switch summary.states[k] {
            case .data, .zeroAllocated, .rawData:
                let guest = max(summary.starts[k], bytes.lowerBound)
                lookups += 1
                if let hit = source.map.hostOffset(ofGuest: guest, revealingEncrypted: true) {
                    return Mapping(guest: guest, host: hit.offset, depth: hit.depth)
                }
            default:
                break
            }
            k += 1
            examined += 1
        }
        return nil
    }

    /// The host cluster of this image that Enter opens, or why there is none.
    public var drillTarget: Result<UInt64, DrillRefusal> {
        guard let source, let info = cursorInfo else { return .failure(DrillRefusal("the guest map is not ready yet")) }
        guard let m = info.firstMapping else {
            return .failure(DrillRefusal("nothing in this cell is stored in a host cluster of its own (zero, unallocated or compressed)"))
        }
        guard m.depth == 0 else {
            return .failure(DrillRefusal("this cell reads from the backing file \(source.layerName(m.depth)), not from this image"))
        }
        if source.map.layers.first?.hasDataFile == true {
            return .failure(DrillRefusal("guest data lives in the external data file, not in the image's clusters"))
        }
        return .success(m.host / max(clusterSize, 1))
    }

    /// A reason Enter does nothing, for the status line.
    public struct DrillRefusal: Error, Sendable, Hashable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }
}
