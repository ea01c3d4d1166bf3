import Guest
import Qcow2

/// Where a guest disk's volumes stand against the image file: per volume, the guest bytes this
/// file holds (``Volume/allocatedBytes``) and those it could give back (``Volume/reclaimableBytes``),
/// and the file's bytes split into categories (``breakdown``). Computed once from a scan and the
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
    /// The active layer's data ranges in this file (``GuestMap/allocatedExtents()``).
    public var allocated: [GuestExtent]
    /// Allocated guest bytes outside every volume (partition tables, gaps, past the last partition).
    public var outsideVolumesBytes: UInt64
    /// The sum of the volumes' reclaimable bytes.
    public var reclaimableBytes: UInt64 { volumes.reduce(0) { $0 &+ $1.reclaimableBytes } }
    /// The file's bytes by category; sums to the file size.
    public var breakdown: SpaceBreakdown
    /// The layout's findings, each volume's filesystem findings, and the walk's.
    public var findings: [Finding]
    /// Guest space by class, sorted and contiguous from 0 to ``diskSize``: which volume and what
    /// the filesystem says (the explorer's guest-map layer asks this).
    let classes: [GuestClassRun]

    /// Computes the figures for the active layer of `map` (its top layer is this file), the
    /// `volumes` the guest layout found (in guest order), and the scan of the same image.
    /// Throws only when the top layer's tables cannot be read at all.
    public init(analysis: ImageAnalysis, map: GuestMap, volumes: [GuestVolume], findings layoutFindings: [Finding]) throws(FormatError) {
        let header = analysis.header
        diskSize = map.virtualSize
        allocationUnit = header.hasUsableGeometry ? header.subclusterSize : 65536
        let (allocated, walkFindings) = try map.allocatedExtents()
        self.allocated = allocated
        let disk = [GuestExtent(start: 0, length: diskSize)]
        var claimed: [GuestExtent] = []
        var out: [Volume] = []
        for volume in volumes {
            let extents = GuestExtents.subtracting(
                GuestExtents.intersection(GuestExtents.normalised(volume.segments), disk), claimed)
            claimed = GuestExtents.normalised(claimed + extents)
            out.append(Self.figures(volume, extents: extents, allocated: allocated, unit: allocationUnit))
        }
        self.volumes = out
        outsideVolumesBytes = GuestExtents.total(GuestExtents.subtracting(allocated, claimed))
        classes = GuestClassRun.runs(volumes: out, diskSize: diskSize)
        breakdown = SpaceBreakdown(analysis: analysis, map: map, classes: classes)
        self.findings = layoutFindings + volumes.flatMap(\.filesystem.findings) + walkFindings
    }

    /// One volume's figures: interval intersections of its extents, its free map and the
    /// allocated ranges, the used bytes widened to whole allocation units.
    public static func figures(_ volume: GuestVolume, extents: [GuestExtent], allocated: [GuestExtent], unit: UInt64) -> Volume {
        let inFile = GuestExtents.intersection(extents, allocated)
        var v = Volume(volume: volume, extents: extents, freeExtents: [], allocatedBytes: GuestExtents.total(inFile),
                       reclaimableBytes: 0, reclaimableExtents: [], freeUnitExtents: [])
        guard volume.filesystem.isAnalysed else { return v }
        let free = GuestExtents.intersection(GuestExtents.normalised(volume.filesystem.freeExtents), extents)
        let used = GuestExtents.subtracting(extents, free)
        let touched = GuestExtents.widened(used, unit: unit)
        v.freeExtents = free
        v.freeUnitExtents = GuestExtents.subtracting(free, touched)
        v.reclaimableExtents = GuestExtents.intersection(inFile, v.freeUnitExtents)
        v.reclaimableBytes = GuestExtents.total(v.reclaimableExtents)
        return v
    }
}
