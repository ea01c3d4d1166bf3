import Guest
import Qcow2

extension VolumeUsage {
    /// The file's bytes by category: each host cluster of the scanned file by its role, and guest
    /// data by the class of the guest bytes it holds (``HostClusterMarks``). Sums to the file size:
    /// every cluster counts once, the last one only the bytes the file has. One pass over the
    /// scan's role map.
    public func breakdown(_ analysis: ImageAnalysis) -> SpaceBreakdown {
        var b = SpaceBreakdown()
        let header = analysis.header
        let fileSize = analysis.fileSize
        guard header.hasUsableGeometry, fileSize > 0 else {
            b.metadata = fileSize
            return b
        }
        let clusterBits = UInt64(header.clusterBits)
        let clusterCount = Int((fileSize + header.clusterSize - 1) >> clusterBits)
        let marks = hostMarks
        let hasSnapshots = !analysis.snapshots.isEmpty
        for c in 0..<clusterCount {
            let bytes = c == clusterCount - 1 ? fileSize - (UInt64(c) << clusterBits) : header.clusterSize
            switch analysis.role(ofCluster: c) {
            case .free: b.free += bytes
            case .leaked: b.leaked += bytes
            case .conflict: b.damaged += bytes
            case .snapshotData, .snapshotL1, .snapshotL2: b.snapshots += bytes
            case .compressed where marks.compressedShares[c] != nil:
                b.split(bytes, by: marks.compressedShares[c] ?? [])
            case let role where role.isGuestData:
                switch marks.mark(c) {
                case .none where role == .compressed && hasSnapshots: b.snapshots += bytes
                case .none: b.notAnalysed += bytes
                case .preallocated: b.preallocated += bytes
                case .guest(let kind): b.add(bytes, to: kind)
                }
            default: b.metadata += bytes
            }
        }
        return b
    }
}

/// One walk of the active layer's L2 tables: the guest ranges it holds data for, and what each
/// host cluster of the file holds (``HostClusterMarks``).
struct ActiveLayerWalk {
    var allocated: [GuestExtent] = []
    let marks: HostClusterMarks
    var findings: [Finding] = []

    init(map: GuestMap, classes: [GuestClassRun]) throws(FormatError) {
        guard let top = map.layers.first, let image = top.image, image.header.hasUsableGeometry else {
            marks = HostClusterMarks(count: 0, clusterBits: 16)
            return
        }
        let clusterBits = UInt64(image.header.clusterBits)
        let clusterSize = image.header.clusterSize
        // Host offsets point into the image file unless the data lives in an external data file.
        let tracked = top.hasDataFile ? 0 : Int((image.file.size + clusterSize - 1) >> clusterBits)
        marks = HostClusterMarks(count: tracked, clusterBits: clusterBits)
        var extents: [GuestExtent] = []
        var compressed: [GuestMapEntry] = []
        var cursor = 0
        let marks = self.marks
        let walker = GuestMapWalker(layers: [top], strict: false, tablesPerLayer: 2) { entry, state in
            if state == .data || state == .compressed, entry.length > 0 {
                if let last = extents.last, last.end == entry.start {
                    extents[extents.count - 1].length += entry.length
                } else {
                    extents.append(GuestExtent(start: entry.start, length: entry.length))
                }
            }
            switch state {
            case .data:
                guard let host = entry.offset else { return }
                while cursor < classes.count, classes[cursor].end <= entry.start { cursor += 1 }
                var k = cursor
                while k < classes.count, classes[k].start < entry.end {
                    let from = max(entry.start, classes[k].start), to = min(entry.end, classes[k].end)
                    marks.raise(host: host + (from - entry.start), length: to - from, to: HostClusterMarks.value(classes[k].spaceClass))
                    k += 1
                }
            case .zeroAllocated, .unallocated:
                if let host = entry.offset { marks.raise(host: host, length: entry.length, to: 1) }
            case .compressed:
                compressed.append(entry)
            default:
                break
            }
        }
        try walker.walk(layer: 0, from: 0, to: top.length)
        for entry in compressed {
            var g = entry.start & ~(clusterSize - 1)
            while g < entry.end {
                if let (l2, _) = try walker.l2Entry(layer: 0, at: g), l2.isCompressed {
                    let extent = l2.compressedExtent(clusterBits: image.header.clusterBits)
                    let kind = GuestClassRun.strongest(in: classes, from: g, to: min(g + clusterSize, top.length))
                    marks.share(host: extent.offset, length: extent.length, kind: kind)
                }
                g += clusterSize
            }
        }
        allocated = extents
        findings = walker.findings
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
/// how many compressed bytes of each class they hold. Filled by one walk, then only read
/// (hence `@unchecked Sendable`).
final class HostClusterMarks: @unchecked Sendable {
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
        guard c < bytes.count else { return .none }
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
