import Formatting
import Analysis
import Qcow2
import Reports

extension ClusterDetailModel {
    /// The big-endian word at file offset `at`, when it lies in this cluster's bytes.
    func word(at at: UInt64) -> UInt64? {
        guard at >= offset, at - offset <= UInt64(Int.max) else { return nil }
        let i = Int(at - offset)
        guard i + 8 <= bytes.count else { return nil }
        return bytes.withUnsafeBytes { $0.be64(at: i) }
    }

    /// The entries of a table of 64-bit words at `table` (`count` entries) that lie in this cluster.
    func entriesHere(table: UInt64, count: UInt64, size: UInt64 = 8) -> Range<Int> {
        let end = offset &+ UInt64(bytes.count)
        let first = offset > table ? (offset - table + size - 1) / size : 0
        let last = end > table ? min(count, (end - table) / size) : 0
        return first < last ? Int(clamping: first)..<Int(clamping: last) : 0..<0
    }

    /// An L2 table, entry by entry (spec, "L2 table entry" / "Extended L2 Entries"): guest
    /// offset, raw descriptor, type, host offset and flags; runs of unallocated entries collapse.
    mutating func decodeL2(_ data: ExplorerData, l1Index: Int?, owner: Int? = nil) {
        let h = data.header
        let bits = UInt64(h.clusterBits)
        let step = UInt64(h.l2EntrySize)
        let extended = h.hasExtendedL2
        let guestBase = l1Index.flatMap { i -> UInt64? in
            let (v, overflow) = UInt64(i).multipliedReportingOverflow(by: h.bytesPerL1Entry)
            return overflow ? nil : v
        }
        let range = entriesHere(table: offset, count: h.l2Entries, size: step)
        let from = l1Index.map { " · named by L1 entry \($0), guest \(hex(guestBase ?? 0))…" } ?? ""
        decoded.append(Line("L2 table · \(Formatted.count(h.l2Entries, "entry", "entries")) of \(step) bytes\(from)", .section))
        var header = [("entry", 7), ("guest", 12), ("descriptor", 18), ("type", 17), ("host", 12), ("flags", 0)]
        if extended { header.insert(("alloc/zero bitmap", 19), at: 5) }
        decoded.append(Line("  " + Self.columns(header), .label))
        let lines = Self.entryLines(range, limit: Self.maxDecodedLines, isEmpty: { i in
            word(at: offset &+ UInt64(i) &* step) == 0 && (!extended || word(at: offset &+ UInt64(i) &* step &+ 8) == 0)
        }, empty: { r in
            "\(Self.span(r)) unallocated (all zero)"
        }, line: { i in
            let at = offset &+ UInt64(i) &* step
            let entry = L2Entry(raw: word(at: at) ?? 0, bitmap: extended ? word(at: at &+ 8) ?? 0 : 0)
            let type = entry.clusterType(extendedL2: extended, externalDataFile: h.hasExternalDataFile)
            let guest = guestBase.map { hex($0 &+ UInt64(i) &* h.clusterSize) } ?? "?"
            var host = type.hasHostCluster ? hex(entry.hostOffset) : ""
            var target: UInt64? = type.hasHostCluster && !h.hasExternalDataFile ? entry.hostOffset >> bits : nil
            var flags: [String] = []
            if entry.isCopied { flags.append("COPIED") }
            if type == .compressed {
                let extent = entry.compressedExtent(clusterBits: h.clusterBits)
                host = hex(extent.offset)
                flags.append("+\(Formatted.count(extent.sectors, "sector"))")
                target = extent.offset >> bits
            } else if entry.reservedBits != 0 {
                flags.append("reserved bits \(hex(entry.reservedBits))")
            }
            var cells = [("[\(i)]", 7), (guest, 12), (Self.hex16(entry.raw), 18), (type.rawValue, 17), (host, 12),
                         (flags.joined(separator: " "), 0)]
            if extended {
                cells.insert((Self.hex8(UInt32(truncatingIfNeeded: entry.bitmap)) + "/" + Self.hex8(UInt32(truncatingIfNeeded: entry.bitmap >> 32)), 19), at: 5)
            }
            let tone: Tone = type == .invalid ? .error : entry.reservedBits != 0 && type != .compressed ? .warning : .plain
            let via = l1Index == nil ? nil : target.map { _ in
                ClusterReference(.l2Entry(snapshot: owner, l1Index: l1Index ?? 0, index: i,
                                          guestOffset: guestBase.map { $0 &+ UInt64(i) &* h.clusterSize } ?? 0,
                                          compressed: type == .compressed), at: at)
            }
            return Line("  " + Self.columns(cells), tone, target: target, via: via)
        })
        decoded += lines
    }

    /// The part of an L1 table in this cluster (spec, "L1 table entry").
    mutating func decodeL1(_ data: ExplorerData, snapshot: Int?) {
        let h = data.header
        var table = h.l1TableOffset
        var count = UInt64(h.l1Size)
        if let s = snapshot, s >= 0, s < data.info.snapshots.count {
            table = data.info.snapshots[s].l1TableOffset
            count = UInt64(data.info.snapshots[s].l1Size)
        }
        decoded.append(Line("\(Self.owner(snapshot, data)) L1 table at \(hex(table)) · \(Formatted.count(count, "entry", "entries"))", .section))
        decoded.append(Line("  " + Self.columns([("entry", 9), ("guest", 14), ("descriptor", 18), ("L2 table", 12), ("flags", 0)]), .label))
        let bits = UInt64(h.clusterBits)
        let lines = Self.entryLines(entriesHere(table: table, count: count), limit: Self.maxDecodedLines, isEmpty: { i in
            word(at: table &+ UInt64(i) &* 8) == 0
        }, empty: { r in "\(Self.span(r)) unallocated" }, line: { i in
            let entry = L1Entry(raw: word(at: table &+ UInt64(i) &* 8) ?? 0)
            var flags = entry.isCopied ? "COPIED" : ""
            if entry.reservedBits != 0 { flags += " reserved bits \(hex(entry.reservedBits))" }
            let guest = hex(UInt64(i) &* h.bytesPerL1Entry)
            return Line("  " + Self.columns([("[\(i)]", 9), (guest, 14), (Self.hex16(entry.raw), 18), (hex(entry.l2Offset), 12), (flags, 0)]),
                        entry.reservedBits != 0 ? .warning : .plain, target: entry.l2Offset >> bits)
        })
        decoded += lines
    }

    /// The part of the refcount table in this cluster (spec, "Refcount table entry").
    mutating func decodeRefcountTable(_ data: ExplorerData) {
        let h = data.header
        let table = h.refcountTableOffset
        let count = UInt64(h.refcountTableClusters) &* h.clusterSize / 8
        let per = h.refcountBlockEntries
        let bits = UInt64(h.clusterBits)
        decoded.append(Line("Refcount table at \(hex(table)) · \(Formatted.count(count, "entry", "entries")), each a block of \(per) refcounts", .section))
        let lines = Self.entryLines(entriesHere(table: table, count: count), limit: Self.maxDecodedLines, isEmpty: { i in
            word(at: table &+ UInt64(i) &* 8) == 0
        }, empty: { r in "\(Self.span(r)) no block (refcounts 0)" }, line: { i in
            let entry = RefcountTableEntry(raw: word(at: table &+ UInt64(i) &* 8) ?? 0)
            let first = UInt64(i) &* per
            let note = entry.reservedBits != 0 ? "  reserved bits \(hex(entry.reservedBits))" : ""
            return Line("  " + Self.columns([("[\(i)]", 8), ("clusters #\(first)–#\(first &+ per &- 1)", 28),
                                             ("block at \(hex(entry.blockOffset))\(note)", 0)]),
                        entry.reservedBits != 0 ? .warning : .plain, target: entry.blockOffset >> bits)
        })
        decoded += lines
    }

    static func hex16(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 16 - s.count)) + s
    }

    static func hex8(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 8 - s.count)) + s
    }
}
