import Qcow2

/// Re-scans one image again and again for `--watch` and the explorer's `w`, reusing what has
/// not changed.
///
/// Every scan keeps a ``MetadataFingerprint`` (a hash of every metadata range it read). A round
/// reopens the file (a running QEMU grows it, and the header may move tables), re-reads and
/// re-hashes those ranges without decoding them: all equal and the same file size, the previous
/// analysis stands (`reused`); otherwise the image is scanned again. Either way the round says
/// what changed against the previous one (``WatchRound``).
public final class ImageWatcher: @unchecked Sendable {
    private var image: Qcow2Image
    private var previous: ImageAnalysis?
    private var rounds = 0
    /// Each bitmap's dirty bytes last round, by escaped name (the growth is against these).
    private var dirtyBefore: [String: UInt64] = [:]

    public init(image: Qcow2Image) {
        self.image = image
    }

    /// The last analysis (nil before the first round).
    public var analysis: ImageAnalysis? { previous }

    /// Starts from an analysis already made (the explorer's first scan): the next round is
    /// compared with it. Without its fingerprint that round scans again (and keeps one), so the
    /// clusters new since the first scan are still found.
    public func seed(_ analysis: ImageAnalysis) {
        guard previous == nil else { return }
        previous = analysis
        rounds = 1
    }

    /// Runs one round. Throws when the image can no longer be opened or scanned.
    public func next(progress: ScanProgress = ScanProgress()) throws -> WatchRound {
        let clock = ContinuousClock()
        let start = clock.now
        if rounds > 0, let fresh = try image.reopened() { image = fresh }
        var reused = false
        var changed = 0
        let analysis: ImageAnalysis
        if let previous, let print = previous.fingerprint {
            let again = print.reread(from: image.file)
            changed = again.changedRegions(since: print).count + (again.fileSize == print.fileSize ? 0 : 1)
            reused = changed == 0
        }
        if reused, let previous {
            analysis = previous
        } else {
            analysis = try ImageAnalysis.scan(image, progress: progress, fingerprint: true)
        }
        rounds += 1
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var round = Self.compare(analysis, previous, number: rounds, reused: reused, changed: changed,
                                 seconds: seconds, bitmaps: BitmapExtents.decodeAll(image).bitmaps)
        for i in round.bitmapDirty.indices {
            let b = round.bitmapDirty[i]
            round.bitmapDirty[i].growth = Int64(bitPattern: b.bytes &- (dirtyBefore[b.name] ?? b.bytes))
        }
        dirtyBefore = Dictionary(round.bitmapDirty.map { ($0.name, $0.bytes) }, uniquingKeysWith: { a, _ in a })
        previous = analysis
        return round
    }

    static func compare(_ now: ImageAnalysis, _ before: ImageAnalysis?, number: Int, reused: Bool, changed: Int,
                        seconds: Double, bitmaps: [BitmapExtents]) -> WatchRound {
        let fileBefore = before?.fileSize ?? now.fileSize
        let allocatedBefore = before?.check.allocatedClusters ?? now.check.allocatedClusters
        let snapshots = now.snapshots.enumerated().map { i, u in
            let old = before.flatMap { $0.snapshots.indices.contains(i) ? $0.snapshots[i].exclusiveBytes : nil }
            let name = u.snapshot.map { "\($0.id.escaped(limit: 64))" } ?? String(i + 1)
            return (name: name, bytes: u.exclusiveBytes,
                    growth: Int64(bitPattern: (u.exclusiveBytes ?? 0) &- (old ?? u.exclusiveBytes ?? 0)))
        }
        return WatchRound(
            number: number, analysis: now, reused: reused, changedRegions: changed, seconds: seconds,
            fileSize: now.fileSize, fileGrowth: Int64(bitPattern: now.fileSize &- fileBefore),
            allocatedClusters: now.check.allocatedClusters,
            allocatedGrowth: Int64(bitPattern: now.check.allocatedClusters &- allocatedBefore),
            newClusters: reused || before == nil ? [] : newClusters(now, before),
            snapshotExclusive: snapshots,
            bitmapDirty: bitmaps.map { (name: $0.name.escaped(limit: 64), bytes: $0.dirtyBytes, growth: 0) })
    }

    /// Host clusters free (or past the end) in `before` and used in `now`, as runs.
    static func newClusters(_ now: ImageAnalysis, _ before: ImageAnalysis?) -> [Range<Int>] {
        guard let before else { return [] }
        var runs: [Range<Int>] = []
        let oldCount = before.fileClusters
        for c in 0..<now.fileClusters where now.role(ofCluster: c) != .free {
            guard c >= oldCount || before.role(ofCluster: c) == .free else { continue }
            if let last = runs.last, last.upperBound == c {
                runs[runs.count - 1] = last.lowerBound..<(c + 1)
            } else {
                runs.append(c..<(c + 1))
            }
        }
        return runs
    }
}
