import Qcow2

extension SpaceBreakdown {
    /// Attributes each host cluster of the scanned file: its role from the scan, and for guest data
    /// the class of the guest bytes it holds (``GuestClassRun``), found by walking the active
    /// layer's L2 tables once (host offsets of normal clusters, descriptors of compressed ones).
    /// Costs one byte per host cluster, as the scan's own role map does.
    init(analysis: ImageAnalysis, map: GuestMap, classes: [GuestClassRun]) {
        self.init()
        let header = analysis.header
        let fileSize = analysis.fileSize
        guard header.hasUsableGeometry, fileSize > 0 else { return }
        let clusterBits = UInt64(header.clusterBits)
        let clusterCount = Int((fileSize + header.clusterSize - 1) >> clusterBits)
        let marks = HostClusterMarks(count: clusterCount, clusterBits: clusterBits)
        if let top = map.layers.first, !top.hasDataFile, !top.encrypted {
            marks.markActiveLayer(top, classes: classes)
        }
        let hasSnapshots = !analysis.snapshots.isEmpty
        for c in 0..<clusterCount {
            let bytes = c == clusterCount - 1 ? fileSize - (UInt64(c) << clusterBits) : header.clusterSize
            switch analysis.role(ofCluster: c) {
            case .free: free += bytes
            case .leaked: leaked += bytes
            case .conflict: damaged += bytes
            case .snapshotData, .snapshotL1, .snapshotL2: snapshots += bytes
            case .compressed where marks.compressedShares[c] != nil:
                split(bytes, by: marks.compressedShares[c] ?? [])
            case let role where role.isGuestData:
                switch marks.mark(c) {
                case .none where role == .compressed && hasSnapshots: snapshots += bytes
                case .none: notAnalysed += bytes
                case .preallocated: preallocated += bytes
                case .guest(let kind): add(bytes, to: kind)
                }
            default: metadata += bytes
            }
        }
    }
}

extension SpaceBreakdown {
    /// A compressed host cluster's bytes, split in proportion to the compressed bytes of each
    /// class it holds (indexed by ``GuestSpaceClass/rank``); the rounding remainder goes to the
    /// largest share, so the cluster's bytes are counted exactly once.
    mutating func split(_ bytes: UInt64, by shares: [UInt64]) {
        let total = shares.reduce(0, +)
        guard total > 0, let largest = shares.indices.max(by: { shares[$0] < shares[$1] }) else {
            notAnalysed += bytes
            return
        }
        var given: UInt64 = 0
        for (rank, share) in shares.enumerated() where rank != largest {
            let part = UInt64((Double(bytes) * Double(share) / Double(total)).rounded(.down))
            add(part, to: HostClusterMarks.kind(rank: rank))
            given += part
        }
        add(bytes - min(given, bytes), to: HostClusterMarks.kind(rank: largest))
    }
}

/// One byte per host cluster: what of the active layer's guest space it holds, the strongest
/// class when several (``GuestSpaceClass/rank``); and for host clusters holding compressed data,
/// how many compressed bytes of each class they hold.
final class HostClusterMarks {
    /// Compressed bytes per class (by rank) in each host cluster that holds compressed data of the
    /// active layer. Only those clusters have an entry.
    var compressedShares: [Int: [UInt64]] = [:]

    enum Mark { case none, preallocated, guest(GuestSpaceClass) }

    private var bytes: [UInt8]
    let clusterBits: UInt64

    init(count: Int, clusterBits: UInt64) {
        bytes = [UInt8](repeating: 0, count: count)
        self.clusterBits = clusterBits
    }

    func mark(_ c: Int) -> Mark {
        let b = bytes[c]
        if b == 0 { return .none }
        if b == 1 { return .preallocated }
        return .guest(Self.kind(rank: Int(b) - 2))
    }

    static func kind(rank: Int) -> GuestSpaceClass { GuestSpaceClass.allCases.first { $0.rank == rank } ?? .inUse }

    /// Adds the compressed bytes `[host, host + length)` of class `kind` to the shares of the host
    /// clusters they lie in (bytes past the end of the file are not counted).
    func share(host: UInt64, length: UInt64, kind: GuestSpaceClass) {
        var at = host
        let (end, overflow) = host.addingReportingOverflow(length)
        let stop = min(overflow ? UInt64.max : end, UInt64(bytes.count) << clusterBits)
        while at < stop {
            let c = Int(at >> clusterBits)
            let next = min(stop, (UInt64(c) + 1) << clusterBits)
            compressedShares[c, default: [0, 0, 0, 0]][kind.rank] += next - at
            at = next
        }
    }

    /// Raises the mark of the host clusters holding host bytes `[host, host + length)`.
    func raise(host: UInt64, length: UInt64, to value: UInt8) {
        guard length > 0 else { return }
        let first = host >> clusterBits
        let (end, overflow) = host.addingReportingOverflow(length - 1)
        let last = min(overflow ? UInt64.max : end >> clusterBits, UInt64(bytes.count) &- 1)
        guard first < UInt64(bytes.count), first <= last else { return }
        for c in Int(first)...Int(last) where bytes[c] < value { bytes[c] = value }
    }

    static func value(_ kind: GuestSpaceClass) -> UInt8 { UInt8(kind.rank + 2) }

    /// Walks the active layer: normal (sub)clusters raise their host clusters to the class of
    /// their guest bytes, split along the class runs; preallocated zero clusters and unallocated
    /// subclusters to "preallocated"; compressed clusters the host clusters their descriptor spans.
    func markActiveLayer(_ top: GuestMapLayer, classes: [GuestClassRun]) {
        var compressed: [GuestMapEntry] = []
        var cursor = 0
        let walker = GuestMapWalker(layers: [top], strict: false, tablesPerLayer: 2) { entry, state in
            switch state {
            case .data:
                guard let host = entry.offset else { return }
                while cursor < classes.count, classes[cursor].end <= entry.start { cursor += 1 }
                var k = cursor
                while k < classes.count, classes[k].start < entry.end {
                    let from = max(entry.start, classes[k].start), to = min(entry.end, classes[k].end)
                    self.raise(host: host + (from - entry.start), length: to - from, to: Self.value(classes[k].spaceClass))
                    k += 1
                }
            case .zeroAllocated, .unallocated:
                if let host = entry.offset { self.raise(host: host, length: entry.length, to: 1) }
            case .compressed:
                compressed.append(entry)
            default:
                break
            }
        }
        do {
            try walker.walk(layer: 0, from: 0, to: top.length)
            guard let image = top.image else { return }
            let clusterSize = image.header.clusterSize
            for entry in compressed {
                var g = entry.start & ~(clusterSize - 1)
                while g < entry.end {
                    if let (l2, _) = try walker.l2Entry(layer: 0, at: g), l2.isCompressed {
                        let extent = l2.compressedExtent(clusterBits: image.header.clusterBits)
                        let kind = GuestClassRun.strongest(in: classes, from: g, to: min(g + clusterSize, top.length))
                        share(host: extent.offset, length: extent.length, kind: kind)
                    }
                    g += clusterSize
                }
            }
        } catch {
            // The tables could not be read: what was marked stays; the rest counts as not analysed.
        }
    }
}

extension GuestClassRun {
    /// The index of the first run that ends after `offset` (binary search; `runs.count` if none).
    static func first(in runs: [GuestClassRun], endingAfter offset: UInt64) -> Int {
        var low = 0, high = runs.count
        while low < high {
            let mid = (low + high) / 2
            if runs[mid].end <= offset { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The strongest class among the runs overlapping `[start, end)` (binary search, then a walk).
    static func strongest(in runs: [GuestClassRun], from start: UInt64, to end: UInt64) -> GuestSpaceClass {
        var best: GuestSpaceClass?
        var i = first(in: runs, endingAfter: start)
        while i < runs.count, runs[i].start < end {
            if best.map({ runs[i].spaceClass.rank > $0.rank }) ?? true { best = runs[i].spaceClass }
            i += 1
        }
        return best ?? .outsideVolumes
    }
}
