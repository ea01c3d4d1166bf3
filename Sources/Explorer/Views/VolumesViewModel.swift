import Formatting
import Analysis
import Guest
import Reports

/// The Volumes view's content for one frame: where the guest reading stands, one row per volume
/// (escaped text, sizes, bar shares) and the headline the header view shows too. A pure value
/// built from ``ExplorerData/volumes``.
public struct VolumesViewModel {
    /// Where the filesystem reading stands.
    public enum Status {
        /// The scan has not finished (the reading starts after it), or it failed.
        case waitingForScan(failed: Bool)
        /// Under way: the step and guest bytes read so far.
        case reading(phase: String, bytes: UInt64)
        /// The active layer's tables could not be read.
        case failed(String)
        case ready(VolumeUsage)
    }

    /// One volume as the table shows it.
    public struct Row: Sendable, Hashable {
        public var index: Int
        public var table: String
        public var partition: String
        public var filesystem: String
        public var label: String
        public var start: UInt64
        public var size: UInt64
        public var used: UInt64?
        public var free: UInt64?
        public var inFile: UInt64
        /// Nil when not analysed.
        public var reclaimable: UInt64?
        public var isStale: Bool
    }

    public let status: Status
    public let rows: [Row]

    public init(data: ExplorerData) {
        switch data.volumes {
        case .success(let usage)?:
            status = .ready(usage)
            rows = usage.volumes.enumerated().map { Self.row($0.offset, $0.element) }
        case .failure(let error)?:
            status = .failed(error.description.terminalSafe)
            rows = []
        case nil:
            if data.analysis == nil {
                status = .waitingForScan(failed: !data.isScanning)
            } else {
                status = .reading(phase: data.volumeProgress.phase.label, bytes: data.volumeProgress.bytesRead)
            }
            rows = []
        }
    }

    public var usage: VolumeUsage? {
        if case .ready(let usage) = status { return usage }
        return nil
    }

    static func row(_ index: Int, _ v: VolumeUsage.Volume) -> Row {
        let g = v.volume
        let fs = g.filesystem
        return Row(index: index, table: g.table.rawValue,
                   partition: g.partition.map(String.init) ?? g.name?.terminalSafe ?? "-",
                   filesystem: fs.kind.rawValue, label: fs.label?.terminalSafe ?? "-", start: g.start,
                   size: GuestExtents.total(v.extents), used: v.usedBytes, free: v.freeBytes, inFile: v.allocatedBytes,
                   reclaimable: fs.isAnalysed ? v.reclaimableBytes : nil, isStale: fs.possiblyStale)
    }

    /// The bar's three shares of the volume: used by the filesystem, free but allocated in the
    /// file (reclaimable), and the rest (free and unallocated). A volume not analysed shows what
    /// the file holds of it as its first share.
    public static func shares(_ row: Row) -> (used: Double, reclaimable: Double) {
        guard row.size > 0 else { return (0, 0) }
        let size = Double(row.size)
        guard let reclaimable = row.reclaimable else { return (min(1, Double(row.inFile) / size), 0) }
        let used = min(1, Double(row.used ?? 0) / size)
        return (used, min(1 - used, Double(reclaimable) / size))
    }

    /// "12.4 GiB file · 3.1 GiB reclaimable in the guest", "reading guest filesystems…" until it
    /// is known (issue 10's headline, in the header view and the Volumes view's title).
    public static func headline(_ data: ExplorerData, ellipsis: Character = "…") -> String {
        let size = Formatted.humanSize
        let file = "\(size(data.image.file.size)) file"
        switch data.volumes {
        case .success(let usage)?:
            return "\(file) · \(size(usage.reclaimableBytes)) reclaimable in the guest"
        case .failure?:
            return "\(file) · the guest could not be read"
        case nil:
            if data.analysis == nil, !data.isScanning { return "\(file) · the guest is read after a scan, which failed" }
            let bytes = data.volumeProgress.bytesRead
            return "\(file) · reading guest filesystems\(ellipsis)" + (bytes > 0 ? " \(size(bytes)) read" : "")
        }
    }
}
