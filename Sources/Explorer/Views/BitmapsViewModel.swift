import Analysis
import Qcow2
import Reports

/// The bitmaps view's rows: each persistent bitmap of the directory (spec, "Bitmap directory")
/// with its flags, granularity, dirty bytes and share of the disk, type and table, and whether
/// QEMU would use it. Names are escaped here, once.
public struct BitmapsViewModel: Sendable {
    public struct Row: Sendable, Hashable {
        public var index: Int
        public var name: String
        public var flags: String
        public var isInUse: Bool
        public var granularity: UInt64?
        public var dirtyBytes: UInt64
        /// Dirty bytes / virtual size, 0…1.
        public var fraction: Double
        public var extentCount: Int
        public var type: String
        public var tableOffset: UInt64
        public var tableSize: UInt32
        /// Why QEMU would not use it (in use, damaged, autoclear bit clear), nil when it would.
        public var problem: String?
    }

    public let rows: [Row]

    public init(decoded: [DecodedBitmap]) {
        rows = decoded.enumerated().map { i, d in
            let b = d.bitmap
            let e = b.entry
            let flags = e.flagNames + (e.reservedFlags != 0 ? ["reserved \(hex(UInt64(e.reservedFlags)))"] : [])
            return Row(index: i, name: b.name.escaped, flags: flags.isEmpty ? "-" : flags.joined(separator: ", "),
                       isInUse: e.isInUse, granularity: e.granularity, dirtyBytes: b.dirtyBytes,
                       fraction: b.virtualSize == 0 ? 0 : Double(b.dirtyBytes) / Double(b.virtualSize),
                       extentCount: b.extents.count,
                       type: e.type == BitmapDirectoryEntry.dirtyTrackingType ? "dirty tracking" : "unknown (\(e.type))",
                       tableOffset: e.tableOffset, tableSize: e.tableSize, problem: b.refusal?.terminalSafe)
        }
    }

    /// The rows of the bitmaps decoded so far (none until ``ExplorerWork/bitmaps`` is done).
    public init(data: ExplorerData) {
        self.init(decoded: data.bitmaps ?? [])
    }

    /// "12.5%", "0.01%", "<0.01%" for a dirty fraction.
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite, fraction > 0 else { return "0%" }
        if fraction < 0.0001 { return "<0.01%" }
        let p = fraction * 100
        let rounded = p >= 10 ? (p * 10).rounded() / 10 : (p * 100).rounded() / 100
        return "\(rounded)%"
    }
}
