import Qcow2

/// Everything one scan learned about an image, for every command and for the explorer.
///
/// Build it with ``scan(_:progress:)`` (on any thread; poll the ``ScanProgress`` from another).
/// Per host cluster it answers ``role(ofCluster:)`` and ``computedRefcount(ofCluster:)``; the
/// image as a whole has `qemu-img check`'s numbers (``check``), the ``findings``, the
/// ``fragmentation`` of the current disk and the ``snapshots``' usage.
public struct ImageAnalysis: Sendable {
    public let image: Qcow2Image
    public let clusters: ClusterMap
    public internal(set) var check: CheckCounts
    public internal(set) var findings: FindingLog
    public let fragmentation: FragmentationStats
    /// One entry per snapshot table entry, in table order.
    public let snapshots: [SnapshotUsage]
    /// The current (active) state, with the same byte figures.
    public let current: SnapshotUsage
    /// Clusters inside the file whose stored refcount is not 0.
    public let storedInUseClusters: UInt64
    /// Why QEMU would refuse to check this image (empty when it can).
    public let couldNotCheck: [String]
    /// Clusters by the refcount stored in the refcount blocks, and by the references the scan
    /// counted, over the clusters QEMU compares (clusters under a misaligned refcount block,
    /// whose stored refcounts cannot be read, are in neither).
    public let storedRefcounts: RefcountHistogram
    public let computedRefcounts: RefcountHistogram
    /// Whether a running QEMU held the image's locks when it was scanned (``Qcow2Image/isInUse``):
    /// every report marks the image `in-use`, and ``inUseReading`` says what that explained.
    public internal(set) var inUse = false
    /// For an image in use: the refcount differences QEMU's caches explain, and what changed
    /// while it was read; nil for an image at rest.
    public internal(set) var inUseReading: InUseReading?
    /// The hashes of the metadata the scan read, when it kept them (images in use, `--watch`).
    public internal(set) var fingerprint: MetadataFingerprint?

    public var header: Header { image.header }
    public var clusterSize: UInt64 { image.header.clusterSize }
    public var fileSize: UInt64 { image.file.size }
    /// Host clusters the file spans (the last one may be partial).
    public var fileClusters: Int { clusters.capacity - 1 }

    /// Runs the scan. Throws ``ScanError/cancelled`` when `progress` is cancelled, and
    /// ``ScanError/unusable(_:)`` when the geometry cannot be walked at all. An image in use is
    /// scanned as ``scanInUse(_:progress:)`` says; `fingerprint` keeps the hashes of what was read.
    /// `tally` is handed the active L2 tables as they are read (not for an image in use, which
    /// is re-read from a reopened file).
    public static func scan(_ image: Qcow2Image, progress: ScanProgress = ScanProgress(),
                            fingerprint: Bool = false, tally: CompactSizeTally? = nil) throws(ScanError) -> ImageAnalysis {
        if image.isInUse { return try scanInUse(image, progress: progress) }
        return try scanOnce(image, progress: progress, fingerprint: fingerprint, tally: tally)
    }

    /// One pass of the scanner over `image` as it is now.
    static func scanOnce(_ image: Qcow2Image, progress: ScanProgress, fingerprint: Bool,
                         tally: CompactSizeTally? = nil) throws(ScanError) -> ImageAnalysis {
        var scanner = try ImageScanner(image: image, progress: progress)
        scanner.tally = tally
        if fingerprint { scanner.startFingerprint() }
        var analysis = try scanner.run()
        analysis.fingerprint = scanner.takeFingerprint()
        return analysis
    }

    init(image: Qcow2Image, clusters: ClusterMap, check: CheckCounts, findings: FindingLog,
         fragmentation: FragmentationStats, snapshots: [SnapshotUsage], current: SnapshotUsage,
         storedInUseClusters: UInt64, couldNotCheck: [String],
         storedRefcounts: RefcountHistogram = RefcountHistogram(), computedRefcounts: RefcountHistogram = RefcountHistogram()) {
        self.image = image
        self.clusters = clusters
        self.check = check
        self.findings = findings
        self.fragmentation = fragmentation
        self.snapshots = snapshots
        self.current = current
        self.storedInUseClusters = storedInUseClusters
        self.couldNotCheck = couldNotCheck
        self.storedRefcounts = storedRefcounts
        self.computedRefcounts = computedRefcounts
    }

    /// The role of the host cluster holding file offset `offset`.
    public func role(atOffset offset: UInt64) -> ClusterRole {
        clusters.role(at: Int(clamping: offset >> UInt64(header.clusterBits)))
    }
    public func role(ofCluster index: Int) -> ClusterRole { clusters.role(at: index) }
    public func computedRefcount(ofCluster index: Int) -> UInt64 { clusters.computedRefcount(at: index) }

    /// The snapshots (table indices) and whether the current disk reference host cluster
    /// `index`; nil when ownership is not tracked (no snapshots, or 4096 and more).
    public func owners(ofCluster index: Int) -> (snapshots: [Int], current: Bool)? {
        guard let id = clusters.ownerSet(at: index), let table = clusters.ownerSetTable else { return nil }
        let members = table.members(id)
        let n = snapshots.count
        return (members.filter { $0 < n }, members.contains(n))
    }

    /// The refcount stored in the image for host cluster `index` (read through the image's
    /// source on demand: ``Qcow2Image/storedRefcount(ofCluster:)``).
    public func storedRefcount(ofCluster index: Int) -> UInt64? {
        index >= 0 ? image.storedRefcount(ofCluster: UInt64(index)) : nil
    }
}
