import Guest
import Qcow2

/// Where a guest disk's volumes stand against the image file: per volume, the guest bytes this
/// file holds (``Volume/allocatedBytes``) and those it could give back (``Volume/reclaimableBytes``),
/// and the file's bytes split into categories (``breakdown(_:)``). Computed once from a scan and the
/// guest layout; `space`, the explorer's Volumes view and its guest-map layer all read this value.
///
/// Definitions (issue 10; JSON keys of `space --json`):
/// - *allocated*: guest bytes of the volume whose cluster — or subcluster, with extended L2 — is
///   allocated with data in this file's active layer: normal and compressed (a compressed cluster
///   counts its guest bytes, not the fewer host bytes it occupies); zero clusters, unallocated
///   subclusters and everything in backing files are not.
/// - *reclaimable*: the allocated bytes of the allocation units (clusters or subclusters) whose
///   every byte inside the volume lies in the filesystem's free allocation units. Units that hold
///   one used byte are not reclaimable, however much of them is free: discarding in the guest
///   cannot free a part of a cluster.
/// - Every guest byte counts once: volumes that overlap (a damaged table) are counted where they
///   first start; an LVM physical volume covers only what no logical volume covers (its segments
///   exclude them), so its unused extents are its free space.
public struct VolumeUsage: Sendable {
    /// One volume and its figures.
    public struct Volume: Sendable {
        public var volume: GuestVolume
        /// The volume's segments, clipped to the disk and to the volumes before it (sorted, merged).
        public var extents: [GuestExtent]
        /// Free bytes per the filesystem, inside ``extents`` (sorted, merged); empty when not analysed.
        public var freeExtents: [GuestExtent]
        public var allocatedBytes: UInt64
        /// 0 when the volume is not analysed.
        public var reclaimableBytes: UInt64
        /// The reclaimable guest bytes, sorted and merged: zeroing exactly these changes no byte
        /// the filesystem uses.
        public var reclaimableExtents: [GuestExtent]
        /// Free bytes whose allocation unit holds no used byte of the volume, allocated or not
        /// (``reclaimableExtents`` is these ∩ allocated; the rest is free and already unallocated).
        public var freeUnitExtents: [GuestExtent]

        public var isAnalysed: Bool { volume.filesystem.isAnalysed }
        /// Bytes the filesystem uses (allocation units not free), nil when not analysed.
        public var usedBytes: UInt64? {
            let fs = volume.filesystem
            guard let size = fs.blockSize, let blocks = fs.blocks, let free = fs.freeBlocks else { return nil }
            return (blocks > free ? blocks - free : 0).multipliedReportingOverflow(by: size).partialValue
        }
        /// Bytes the filesystem calls free, nil when not analysed.
        public var freeBytes: UInt64? {
            let fs = volume.filesystem
            guard let size = fs.blockSize, let free = fs.freeBlocks else { return nil }
            return free.multipliedReportingOverflow(by: size).partialValue
        }
    }

    /// Guest disk size (the active state's virtual size).
    public var diskSize: UInt64
    /// The allocation unit reclaimable space is counted in: the cluster, or the subcluster with
    /// extended L2 entries.
    public var allocationUnit: UInt64
    /// Volumes in guest order, as the layout lists them.
    public var volumes: [Volume]
    /// The active layer's data ranges in this file: normal and compressed (sub)clusters of the
    /// active L1, never the backing chain; zero clusters and unallocated subclusters are not data.
    public var allocated: [GuestExtent]
    /// Allocated guest bytes outside every volume (partition tables, gaps, past the last partition).
    public var outsideVolumesBytes: UInt64
    /// The sum of the volumes' reclaimable bytes.
    public var reclaimableBytes: UInt64 { volumes.reduce(0) { $0 &+ $1.reclaimableBytes } }
    /// The layout's findings, each volume's filesystem findings, and the walk's.
    public var findings: [Finding]
    /// Guest space by class, sorted and contiguous from 0 to ``diskSize``: which volume and what
    /// the filesystem says (the explorer's guest-map layer asks this).
    let classes: [GuestClassRun]
    /// What each host cluster of the file holds of the active layer (for ``breakdown(_:)``).
    let hostMarks: HostClusterMarks

    /// Computes the figures of the active layer of `map` (its top layer is this file) and the
    /// `volumes` the guest layout found (in guest order): one walk of the active L2 tables gives
    /// the allocated ranges and what each host cluster holds. Independent of the scan, so it can
    /// run beside it; ``breakdown(_:)`` joins the two. Throws only when the top layer's tables
    /// cannot be read at all.
    public init(map: GuestMap, volumes: [GuestVolume], findings layoutFindings: [Finding]) throws(FormatError) {
        diskSize = map.virtualSize
        let header = map.layers.first?.image?.header
        allocationUnit = header.map { $0.hasUsableGeometry ? $0.subclusterSize : 65536 } ?? 65536
        let disk = [GuestExtent(start: 0, length: diskSize)]
        var claimed: [GuestExtent] = []
        var out: [Volume] = []
        for volume in volumes {
            let extents = GuestExtents.subtracting(
                GuestExtents.intersection(GuestExtents.normalised(volume.segments), disk), claimed)
            claimed = GuestExtents.normalised(claimed + extents)
            out.append(Self.freeUnits(volume, extents: extents, unit: allocationUnit))
        }
        classes = GuestClassRun.runs(volumes: out, diskSize: diskSize)
        let walk = try ActiveLayerWalk(map: map, classes: classes)
        allocated = walk.allocated
        hostMarks = walk.marks
        for i in out.indices { out[i].count(allocated: allocated) }
        self.volumes = out
        outsideVolumesBytes = GuestExtents.total(GuestExtents.subtracting(allocated, claimed))
        self.findings = layoutFindings + volumes.flatMap(\.filesystem.findings) + walk.findings
    }

    /// A volume's free units: its free map clipped to its extents, minus every allocation unit
    /// that holds a used byte (the used bytes widened to whole units).
    static func freeUnits(_ volume: GuestVolume, extents: [GuestExtent], unit: UInt64) -> Volume {
        var v = Volume(volume: volume, extents: extents, freeExtents: [], allocatedBytes: 0,
                       reclaimableBytes: 0, reclaimableExtents: [], freeUnitExtents: [])
        guard volume.filesystem.isAnalysed else { return v }
        let free = GuestExtents.intersection(GuestExtents.normalised(volume.filesystem.freeExtents), extents)
        v.freeExtents = free
        v.freeUnitExtents = GuestExtents.subtracting(free, GuestExtents.widened(GuestExtents.subtracting(extents, free), unit: unit))
        return v
    }

    /// One volume's figures: interval intersections of its extents, its free map and the
    /// allocated ranges, the used bytes widened to whole allocation units.
    public static func figures(_ volume: GuestVolume, extents: [GuestExtent], allocated: [GuestExtent], unit: UInt64) -> Volume {
        var v = freeUnits(volume, extents: extents, unit: unit)
        v.count(allocated: allocated)
        return v
    }
}

extension VolumeUsage.Volume {
    /// Fills the allocated and reclaimable figures from the active layer's allocated ranges.
    mutating func count(allocated: [GuestExtent]) {
        let inFile = GuestExtents.intersection(extents, allocated)
        allocatedBytes = GuestExtents.total(inFile)
        reclaimableExtents = GuestExtents.intersection(inFile, freeUnitExtents)
        reclaimableBytes = GuestExtents.total(reclaimableExtents)
    }

}
