import Qcow2

/// One L2 entry that maps guest data to the target cluster.
struct L2Match {
    var index: Int
    var compressed: Bool
}

extension ClusterReferences {
    /// Walks the L1 tables (active, then snapshots in table order) for entries naming the target
    /// as an L2 table, and the L2 tables they name for entries mapping guest data to it (spec,
    /// "Cluster mapping"). Each distinct L2 table is read once, however many L1 tables share it;
    /// its matches count once per L1 entry naming it, as QEMU's check counts references.
    mutating func walkMappings(walker w: inout ReferenceWalker, scope: Scope, analysis: ImageAnalysis?) {
        let h = w.image.header
        var owners: [Int?] = []
        let (active, snapshotRange) = ownersToWalk(snapshotCount: w.snapshots.count, analysis: analysis)
        if active { owners.append(nil) }
        owners += w.snapshots.indices.filter { snapshotRange.contains($0) }.map { Optional($0) }

        var matches: [UInt64: [L2Match]] = [:]
        var buffer = [UInt8](repeating: 0, count: Int(w.clusterSize))
        let bits = UInt64(w.clusterBits)
        for owner in owners {
            guard !isSatisfied else { return }
            let table: [UInt64]
            let base: UInt64
            do {
                if let s = owner {
                    table = try w.image.readL1Table(of: w.snapshots[s])
                    base = w.snapshots[s].l1TableOffset
                } else {
                    table = try w.image.readL1Table()
                    base = h.l1TableOffset
                }
            } catch {
                problems.append(error.description)
                continue
            }
            for (i, raw) in table.enumerated() where raw != 0 {
                let l2 = L1Entry(raw: raw).l2Offset
                guard l2 != 0 else { continue }
                if scope.l1Entries, l2 >> bits == cluster {
                    guard add(.l1Entry(snapshot: owner, index: i), at: base &+ UInt64(i) &* 8) else { return }
                }
                guard scope.l2Entries, l2 < w.image.file.size else { continue }
                let found: [L2Match]
                if let known = matches[l2] {
                    found = known
                } else {
                    // bytesRead never passes maxL2Bytes (this guard), so the sum cannot wrap.
                    guard bytesRead &+ w.clusterSize <= maxL2Bytes else {
                        isComplete = false
                        problems.append("stopped after reading \(l2TablesRead) L2 tables (\(bytesRead >> 20) MiB); more references may exist")
                        return
                    }
                    found = scanL2Table(at: l2, header: h, file: w.image.file, buffer: &buffer)
                    matches[l2] = found
                }
                for m in found {
                    let (guest, overflow) = UInt64(i).multipliedReportingOverflow(by: h.bytesPerL1Entry)
                    // m.index < l2Entries, so m.index × cluster size < 2^39; the sum is checked.
                    let (sum, past) = guest.addingReportingOverflow(UInt64(m.index) &* h.clusterSize)
                    let offset = overflow || past ? UInt64.max : sum
                    let kind = ClusterReference.Kind.l2Entry(snapshot: owner, l1Index: i, index: m.index,
                                                             guestOffset: offset, compressed: m.compressed)
                    // l2 < file size (checked above) and m.index × entry size < a cluster: no wrap.
                    guard add(kind, at: l2 &+ UInt64(m.index) &* UInt64(h.l2EntrySize)) else { return }
                }
                if isSatisfied { return }
            }
        }
    }

    /// Which L1 tables can reach the target: the active one and a range of snapshots, narrowed by
    /// the scan's role and owner codes for the cluster when it has them.
    private func ownersToWalk(snapshotCount n: Int, analysis: ImageAnalysis?) -> (active: Bool, snapshots: Range<Int>) {
        guard let analysis else { return (true, 0..<n) }
        let index = Int(clamping: cluster)
        var active = true
        var snapshots = 0..<n
        switch analysis.role(ofCluster: index) {
        case .data: snapshots = 0..<0
        case .snapshotData, .snapshotL2: active = false
        default: break
        }
        if let (low, high) = analysis.clusters.owners(at: index) {
            // Owner codes: snapshot i is i + 1, the active state n + 1 (see OwnerCode).
            active = active && high.snapshotIndex(snapshotCount: n) == nil
            let first = max(snapshots.lowerBound, Int(low.raw) - 1)
            let last = min(snapshots.upperBound, Int(high.raw))
            snapshots = first < last ? first..<last : 0..<0
        }
        return (active, snapshots)
    }

    /// Reads one L2 table and returns the entries whose host cluster (or compressed bytes) is the
    /// target. With an external data file, host offsets are in that file, so nothing matches.
    private mutating func scanL2Table(at offset: UInt64, header h: Header, file: any ByteSource,
                                      buffer: inout [UInt8]) -> [L2Match] {
        l2TablesRead += 1
        bytesRead &+= UInt64(buffer.count)
        let ok: Bool = buffer.withUnsafeMutableBytes { (try? file.readZeroFilled(into: $0, at: offset)) != nil }
        guard ok else {
            problems.append("L2 table at \(hex(offset)) could not be read")
            return []
        }
        guard !h.hasExternalDataFile else { return [] }
        let bits = h.clusterBits
        let extended = h.hasExtendedL2
        let step = h.l2EntrySize
        let count = min(Int(h.l2Entries), buffer.count / step)
        let target = cluster
        return buffer.withUnsafeBytes { raw in
            var found: [L2Match] = []
            for j in 0..<count {
                let word = raw.be64(at: j * step)
                guard word != 0 else { continue }
                let entry = L2Entry(raw: word, bitmap: extended ? raw.be64(at: j * step + 8) : 0)
                let type = entry.clusterType(extendedL2: extended, externalDataFile: false)
                if type == .compressed {
                    if entry.compressedExtent(clusterBits: bits).clusterRange(clusterBits: bits).contains(target) {
                        found.append(L2Match(index: j, compressed: true))
                    }
                } else if type.hasHostCluster, entry.hostOffset >> UInt64(bits) == target {
                    found.append(L2Match(index: j, compressed: false))
                }
            }
            return found
        }
    }
}
