import Qcow2

/// What reading an image in use (``ImageAnalysis/inUse``) explained away, kept apart from the
/// check's counts so a running VM's disk is not reported as leaking or corrupt.
///
/// QEMU keeps refcount blocks and L2 tables in its caches and writes them back when it likes; with
/// lazy refcounts it writes refcounts only on a clean close. On disk, while it runs, refcounts may
/// be higher (a cluster allocated, its L2 entry still in the cache) or lower (lazy refcounts) than
/// the references, and COPIED flags follow the refcounts: those differences are ``expected``. A
/// finding that only appears because the metadata changed between the reads of one scan, and kept
/// changing over ``ImageAnalysis/maxInUsePasses`` passes, is ``changedWhileReading``.
public struct InUseReading: Sendable {
    /// The refcount differences set aside, as findings (counts exact, samples kept).
    public var expected = FindingLog()
    /// What they took off the check's leaks and corruptions.
    public var expectedLeaks: UInt64 = 0
    public var expectedCorruptions: UInt64 = 0
    /// Findings of the last pass when every pass saw the metadata change under it.
    public var changedWhileReading = FindingLog()
    /// Scans run (a pass whose metadata changed while it read is run again, at most 3 times).
    public var passes = 1

    /// The kinds QEMU's caches and lazy refcounts explain on an image in use.
    public static let expectedKinds: Set<Finding.Kind> = [.leakedCluster, .refcountTooHigh, .refcountTooLow, .copiedFlag]

    /// The sentence reports print with the expected differences.
    public static let explanation = "the image is in use by a running QEMU, which keeps refcount blocks and L2 tables "
        + "in its caches (and with lazy refcounts updates refcounts only on a clean close): refcounts on disk may "
        + "differ from the references until it flushes or closes, so these are not leaks or corruptions"
}

extension ImageAnalysis {
    /// Passes an image in use gets before what still differs is "changed while reading".
    public static let maxInUsePasses = 3

    /// The scan of an image a running QEMU holds: it may change under us, so the tables are
    /// hashed as they are read (``MetadataFingerprint``). A pass that finds nothing beyond what
    /// QEMU's caches explain stands; one that finds more is checked by re-reading what it read:
    /// unchanged, its findings are real; changed, the image is reopened (new size, new header)
    /// and scanned again, and after the last pass what remains is "changed while reading".
    static func scanInUse(_ image: Qcow2Image, progress: ScanProgress) throws(ScanError) -> ImageAnalysis {
        var current = image
        var pass = 1
        while true {
            var analysis = try scanOnce(current, progress: progress, fingerprint: true)
            analysis.inUse = true
            analysis.setAsideExpected(passes: pass)
            guard analysis.hasUnexplainedProblems, let print = analysis.fingerprint else { return analysis }
            let again = (try? current.reopened()) ?? nil
            guard let again, print.reread(from: again.file) != print else { return analysis }
            if pass == maxInUsePasses {
                analysis.setAsideChanged()
                return analysis
            }
            current = again
            pass += 1
        }
    }

    /// Whether anything is left that would make the check fail or is an error.
    var hasUnexplainedProblems: Bool {
        check.exitStatus != 0 || findings.samples.contains { $0.severity == .error }
    }

    /// Moves the refcount differences QEMU's caches explain out of the check's counts.
    mutating func setAsideExpected(passes: Int) {
        let (kept, moved) = findings.partitioned { InUseReading.expectedKinds.contains($0) }
        var reading = InUseReading()
        reading.passes = passes
        reading.expected = moved
        reading.expectedLeaks = UInt64(moved.count(of: .leakedCluster) + moved.count(of: .refcountTooHigh))
        reading.expectedCorruptions = UInt64(moved.count(of: .refcountTooLow) + moved.count(of: .copiedFlag))
        check.leaks -= min(check.leaks, reading.expectedLeaks)
        check.corruptions -= min(check.corruptions, reading.expectedCorruptions)
        findings = kept
        inUseReading = reading
    }

    /// Moves every error the last pass found out of the check (the metadata never held still).
    mutating func setAsideChanged() {
        let errorKinds = Set(findings.samples.filter { $0.severity == .error }.map(\.kind))
        let (kept, moved) = findings.partitioned { errorKinds.contains($0) }
        findings = kept
        inUseReading?.changedWhileReading = moved
        check.corruptions = 0
        check.leaks = 0
        check.checkErrors = UInt64(couldNotCheck.count)
    }
}
