import Formatting
import Analysis
import Qcow2
import Reports

extension ClusterDetailModel {
    /// A refcount block as runs of clusters with the same stored refcount (spec, "Refcount
    /// block entry"), each compared with the references the scan counted: a run whose counted
    /// refcount differs is split off and marked (too low: corruption; too high: leak).
    mutating func decodeRefcountBlock(_ data: ExplorerData, blockIndex: Int) {
        let h = data.header
        let per = Int(clamping: h.refcountBlockEntries)
        let base = UInt64(blockIndex) &* UInt64(per)
        decoded.append(Line("Refcount block \(blockIndex) · \(per) refcounts of \(h.refcountBits) bits for clusters #\(base)–#\(base &+ UInt64(per) &- 1)", .section))
        guard bytes.count == Int(h.clusterSize) else {
            decoded.append(Line("  the block is cut short by the end of the file", .error))
            return
        }
        let analysis = data.analysis
        let tracked = UInt64(analysis?.clusters.count ?? 0)
        let order = h.refcountOrder
        let limit = Self.maxDecodedLines - decoded.count
        let lines: [Line] = bytes.withUnsafeBytes { block in
            func values(_ i: Int) -> (stored: UInt64, counted: UInt64?) {
                let c = base &+ UInt64(i)
                let counted = c < tracked ? analysis?.computedRefcount(ofCluster: Int(c)) : nil
                return (RefcountBlock.refcount(in: block, index: i, order: order), counted)
            }
            var out: [Line] = []
            var i = 0
            while i < per {
                guard out.count < limit else {
                    out.append(Line("  … more entries (see the hex page)", .label))
                    break
                }
                let v = values(i)
                var j = i + 1
                while j < per, values(j) == v { j += 1 }
                let first = base &+ UInt64(i)
                let span = j - i > 1 ? "#\(first)–#\(first &+ UInt64(j - i) &- 1) (\(j - i))" : "#\(first)"
                var text = "  " + Self.columns([(span, 30), ("refcount \(v.stored)", 14)])
                var tone = Tone.plain
                if let counted = v.counted, counted != v.stored {
                    text += "counted \(counted): " + (v.stored < counted ? "too low" : counted == 0 ? "leaked" : "too high")
                    tone = v.stored < counted ? .error : .warning
                } else if v.counted == nil, v.stored != 0 {
                    text += "past the end of the file"
                    tone = .label
                }
                out.append(Line(text, tone, target: first))
                i = j
            }
            return out
        }
        decoded += lines
    }

    /// The snapshot table entries stored in this cluster (spec, "Snapshot table").
    mutating func decodeSnapshotTable(_ data: ExplorerData) {
        let bits = UInt64(data.header.clusterBits)
        decoded.append(Line("Snapshot table at \(hex(data.header.snapshotsOffset)) · \(Formatted.count(data.header.nbSnapshots, "entry", "entries"))", .section))
        for s in data.info.snapshots where s.entryOffset >> bits == cluster {
            let date = Formatted.date(s.dateSeconds)
            decoded.append(Line("  [\(s.index)] at \(hex(s.entryOffset)): id \(s.id.escaped) \"\(s.name.escaped)\" · \(date) · L1 at \(hex(s.l1TableOffset)) (\(Formatted.count(s.l1Size, "entry", "entries")))",
                                target: s.l1TableOffset >> bits))
        }
    }

    /// The bitmap directory entries stored in this cluster (spec, "Bitmap directory").
    mutating func decodeBitmapDirectory(_ data: ExplorerData) {
        let bits = UInt64(data.header.clusterBits)
        decoded.append(Line("Bitmap directory · \(Formatted.count(data.info.bitmaps.count, "bitmap"))", .section))
        for b in data.info.bitmaps where b.entryOffset >> bits == cluster {
            let granularity = b.granularity.map { Formatted.humanSize($0) } ?? "?"
            let flags = b.flagNames.isEmpty ? "" : " · " + b.flagNames.joined(separator: ", ")
            decoded.append(Line("  [\(b.index)] at \(hex(b.entryOffset)): \"\(b.name.escaped)\" · granularity \(granularity) · table at \(hex(b.tableOffset)) (\(Formatted.count(b.tableSize, "entry", "entries")))\(flags)",
                                target: b.tableOffset >> bits))
        }
    }

    /// The part of a bitmap table in this cluster (spec, "Bitmap table"): which guest range
    /// each entry covers and where its data cluster is.
    mutating func decodeBitmapTable(_ data: ExplorerData, bitmap index: Int) {
        guard index >= 0, index < data.info.bitmaps.count else { return decodeRaw("Bitmap table") }
        let b = data.info.bitmaps[index]
        let h = data.header
        let bits = UInt64(h.clusterBits)
        // One data cluster holds clusterSize * 8 bits, each covering one granule of the disk.
        let (coverage, overflow) = (h.clusterSize &* 8).multipliedReportingOverflow(by: b.granularity ?? 0)
        decoded.append(Line("Table of bitmap \"\(b.name.escaped)\" at \(hex(b.tableOffset)) · \(Formatted.count(b.tableSize, "entry", "entries"))", .section))
        let lines = Self.entryLines(entriesHere(table: b.tableOffset, count: UInt64(b.tableSize)), limit: Self.maxDecodedLines, isEmpty: { i in
            word(at: b.tableOffset &+ UInt64(i) &* 8) == 0
        }, empty: { r in "\(Self.span(r)) all zeros (clean)" }, line: { i in
            let entry = BitmapTableEntry(raw: word(at: b.tableOffset &+ UInt64(i) &* 8) ?? 0)
            let guest = overflow ? "?" : hex(UInt64(i) &* coverage)
            let what = entry.dataOffset != 0 ? "data at \(hex(entry.dataOffset))" : entry.readsAsAllOnes ? "all ones (dirty)" : "all zeros"
            return Line("  " + Self.columns([("[\(i)]", 8), ("guest \(guest)…", 22), (what, 0)]),
                        entry.hasReservedBits ? .warning : .plain, target: entry.dataOffset != 0 ? entry.dataOffset >> bits : nil)
        })
        decoded += lines
    }
}
