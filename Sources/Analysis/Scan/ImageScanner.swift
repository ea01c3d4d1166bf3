import Qcow2

/// The one streaming pass over an image's metadata behind every report.
///
/// It computes what `qemu-img check` computes (block/qcow2-refcount.c, `qcow2_check_refcounts`
/// and the functions it calls), in this order:
/// 1. the snapshot table (`qcow2_check_read_snapshot_table`),
/// 2. the header cluster, the active and snapshot L1 tables, collected into an ``L2Directory``,
/// 3. every distinct L2 table once, in file order (``scanL2Tables()``),
/// 4. snapshot table, refcount table, encryption header and bitmaps (``referenceMetadata()``),
/// 5. the refcount blocks themselves (`check_refblocks`), then every stored refcount streamed and
///    compared (`compare_refcounts`) while the COPIED flags are checked (`check_oflag_copied`).
/// Nothing is written; per cluster it keeps only what ``ClusterMap`` holds.
struct ImageScanner {
    /// Bytes of tables announced to the source at once (a quarter of a remote source's cache).
    static let prefetchBytes: UInt64 = 32 << 20
    let image: Qcow2Image
    let file: any ByteSource
    let header: Header
    let clusterBits: UInt32
    let clusterSize: UInt64
    let fileSize: UInt64
    let map: ClusterMap
    let progress: ScanProgress
    let hasDataFile: Bool
    let extendedL2: Bool
    let buffer: TableBuffer

    var counts = CheckCounts()
    /// QEMU's in-memory refcount table size: the file's clusters, plus one when something
    /// was counted in the partial cluster past the end.
    var tracked: Int
    var findings = FindingLog()
    /// The snapshot table as QEMU's check reads it (entries it skips are marked in `walkable`).
    var snapshots: [Snapshot] = []
    var walkable: [Bool] = []
    /// Bytes of the snapshot table up to the end of the last entry (QEMU's snapshots_size).
    var snapshotTableBytes: UInt64 = 0
    /// Reasons QEMU would refuse to open or check the image (each is a check error).
    var fatal: [String] = []
    var directory: L2Directory
    /// The owner sets of clusters and L2 tables (snapshot i is owner i, the current disk owner n).
    var sets: OwnerSets
    var frag = FragmentationAccumulator()
    /// COPIED-flag tallies for clusters referenced by more than one active entry.
    var copiedTallies: [Int: CopiedTally] = [:]
    /// Active references to clusters past the end of the map, checked against stored refcounts
    /// after the stream (bounded; the rest only counts).
    var farCopied: [FarCopied] = []
    /// Clusters below EOF with a stored refcount above 0 (for QEMU's metadata preallocation test).
    var storedInUse: UInt64 = 0
    /// Stored and computed refcounts of the compared clusters, by value (the refcounts view).
    var storedHistogram = RefcountHistogram()
    var computedHistogram = RefcountHistogram()
    /// Clusters the histograms cover (compared clusters under readable refcount blocks).
    var histogramClusters: UInt64 = 0
    /// Whether QEMU's extension walk reaches a valid bitmaps extension (with the autoclear bit)
    /// and an encryption header pointer: only then does its check count those clusters.
    var qemuSeesBitmaps = false
    var qemuSeesCrypto = false
    /// Bitmaps referenced (QEMU only counts them when the autoclear bit is set).
    var bitmaps: [BitmapDirectoryEntry] = []
    /// Handed every L2 table the active L1 names, as it is read (`frag`'s compacted size).
    var tally: CompactSizeTally?

    struct CopiedTally { var copied: UInt32 = 0; var notCopied: UInt32 = 0 }
    struct FarCopied { var cluster: UInt64; var copied: Bool; var count: UInt32 }
    static let maxFarCopied = 1 << 20

    init(image: Qcow2Image, progress: ScanProgress) throws(ScanError) {
        let header = image.header
        guard header.hasUsableGeometry else {
            throw .unusable("cluster_bits \(header.clusterBits) or refcount_order \(header.refcountOrder) is outside what the spec allows")
        }
        self.image = image
        self.file = image.file
        self.header = header
        self.progress = progress
        clusterBits = header.clusterBits
        clusterSize = header.clusterSize
        fileSize = image.file.size
        hasDataFile = header.hasExternalDataFile
        extendedL2 = header.hasExtendedL2
        let fileClusters = Int(clamping: (fileSize + header.clusterSize - 1) >> UInt64(header.clusterBits))
        let snapshotCount = Int(min(header.nbSnapshots, image.limits.maxSnapshots))
        let tracking = snapshotCount > 0 && snapshotCount < 4096
        map = ClusterMap(fileClusters: fileClusters, clusterBits: header.clusterBits,
                         refcountOrder: header.refcountOrder, ownerTracking: tracking)
        sets = OwnerSets(ownerCount: tracking ? snapshotCount + 1 : 1)
        tracked = fileClusters
        buffer = TableBuffer(byteCount: max(Int(header.clusterSize), 256 << 10))
        directory = L2Directory()
        counts.totalClusters = Self.clusters(ofBytes: header.size / 512 * 512, clusterBits: header.clusterBits)
    }

    /// Runs every pass and returns the result.
    mutating func run() throws(ScanError) -> ImageAnalysis {
        progress.set(phase: .tables)
        image.prefetchTables()
        checkOpenability()
        readSnapshotTable()
        reference(0, clusterSize, role: .header, what: "header")
        collectL1Tables()
        referenceL2Tables()
        try checkCancelled()

        progress.set(phase: .l2Tables)
        let perBlock = Int(max(header.refcountBlockEntries, 1))
        let refcountBlocks = (map.capacity + perBlock - 1) / perBlock
        progress.plan(units: UInt64(directory.refs.count) + UInt64(refcountBlocks) + 1)
        try scanL2Tables()

        progress.set(phase: .refcounts)
        referenceMetadata()
        try compareRefcounts()
        checkFarCopiedFlags()

        progress.set(phase: .finishing)
        counts.checkErrors += UInt64(fatal.count)
        let analysis = finish()
        progress.finish()
        return analysis
    }

    func checkCancelled() throws(ScanError) {
        if progress.isCancelled { throw .cancelled }
    }

    static func clusters(ofBytes bytes: UInt64, clusterBits: UInt32) -> UInt64 {
        let size = UInt64(1) << UInt64(clusterBits)
        return bytes / size + (bytes % size == 0 ? 0 : 1)
    }

    @inline(__always) func clusterIndex(_ offset: UInt64) -> UInt64 { offset >> UInt64(clusterBits) }
    @inline(__always) func isAligned(_ offset: UInt64) -> Bool { offset & (clusterSize - 1) == 0 }
}

extension ImageScanner {
    /// Hashes every table the scan reads from now on (``MetadataFingerprint``).
    func startFingerprint() {
        buffer.fingerprint = MetadataFingerprint(fileSize: fileSize)
    }

    /// The fingerprint of what the scan read, with the header cluster and the snapshot table
    /// (read outside the table buffer) added now; nil when ``startFingerprint()`` was not called.
    func takeFingerprint() -> MetadataFingerprint? {
        guard var print = buffer.fingerprint else { return nil }
        buffer.fingerprint = nil
        print.record(file, offset: 0, length: Int(clusterSize), buffer: buffer)
        if header.nbSnapshots > 0, snapshotTableBytes > 0 {
            print.record(file, offset: header.snapshotsOffset, length: Int(clamping: snapshotTableBytes), buffer: buffer)
        }
        return print
    }
}
