import Analysis
import Qcow2

extension ClusterDetailModel {
    /// One "Referenced by" line; entries point at the cluster holding them (Enter goes there).
    func referenceLine(_ r: ClusterReference, _ data: ExplorerData) -> Line {
        let bits = UInt64(data.header.clusterBits)
        let at = hex(r.offset)
        let holder = r.offset >> bits
        switch r.kind {
        case .header:
            return Line("  the image header starts here (cluster 0)", .plain)
        case .cryptoHeader:
            return Line("  holds the LUKS header at \(at)", .plain)
        case .l1Table(let s):
            return Line("  holds the \(Self.owner(s, data)) L1 table at \(at)", .plain)
        case .l1Entry(let s, let i):
            let (guest, overflow) = UInt64(i).multipliedReportingOverflow(by: data.header.bytesPerL1Entry)
            let range = overflow ? "" : " (guest \(hex(guest))…)"
            return Line("  \(Self.owner(s, data)) L1 entry \(i) at \(at) names this L2 table\(range)", .plain, target: holder)
        case .l2Entry(let s, _, let i, let guest, let compressed):
            let what = compressed ? "compressed guest cluster" : "guest cluster"
            return Line("  \(Self.owner(s, data)) L2 entry \(i) at \(at): \(what) \(hex(guest))", .plain, target: holder)
        case .refcountTable:
            return Line("  holds the refcount table at \(at)", .plain)
        case .refcountTableEntry(let i):
            let per = data.header.refcountBlockEntries
            let first = UInt64(i) &* per
            return Line("  refcount table entry \(i) at \(at) names this refcount block (clusters #\(first)–#\(first &+ per &- 1))",
                        .plain, target: holder)
        case .snapshotTable:
            return Line("  holds the snapshot table at \(at)", .plain)
        case .bitmapDirectory:
            return Line("  holds the bitmap directory at \(at)", .plain)
        case .bitmapTable(let b):
            return Line("  holds the table of bitmap \(Self.bitmapName(b, data)) at \(at)", .plain)
        case .bitmapTableEntry(let b, let i):
            return Line("  bitmap \(Self.bitmapName(b, data)) table entry \(i) at \(at) names this data cluster", .plain, target: holder)
        }
    }

    /// "current" (the current state, as `snapshots` prints it) or `snapshot 1 "name"` (escaped).
    static func owner(_ snapshot: Int?, _ data: ExplorerData) -> String {
        guard let s = snapshot else { return "current" }
        guard s >= 0, s < data.info.snapshots.count else { return "snapshot #\(s)" }
        let snap = data.info.snapshots[s]
        return "snapshot \(snap.id.escaped) \"\(snap.name.escaped)\""
    }

    /// `"name"` of bitmap `index` (escaped).
    static func bitmapName(_ index: Int, _ data: ExplorerData) -> String {
        guard index >= 0, index < data.info.bitmaps.count else { return "#\(index)" }
        return "\"\(data.info.bitmaps[index].name.escaped)\""
    }
}
