import Analysis
import Formatting
import Qcow2
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The progress line wired to the two long runs of the report commands: the scan (``ImageAnalysis``)
/// and `diff --content`. Nothing is drawn for the first second, so the everyday small image never
/// flickers a line; after that the line shows the phase, percentage and ETA until the run ends.
extension ProgressLine {
    /// How long a run goes before its progress is shown: a second, or `QCOWSCOPE_PROGRESS_AFTER`
    /// seconds (the tests set 0 to see the line on a small fixture).
    static let quietSeconds: Double = {
        guard let value = getenv("QCOWSCOPE_PROGRESS_AFTER").flatMap({ Double(String(cString: $0)) }), value >= 0 else { return 1 }
        return value
    }()

    /// `ImageAnalysis.scan`, with a progress line on standard error when `enabled` (not --json),
    /// standard error is a terminal and the scan takes more than a second. The scan's own
    /// ``ScanProgress`` is polled ten times a second from a detached task: the scan thread is
    /// never slowed by drawing.
    static func scan(_ image: Qcow2Image, enabled: Bool, tally: CompactSizeTally? = nil) throws(ScanError) -> ImageAnalysis {
        guard let line = make(enabled: enabled) else { return try ImageAnalysis.scan(image, tally: tally) }
        let progress = ScanProgress()
        let watcher = Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(100))
                guard !Task.isCancelled, line.elapsedSeconds >= quietSeconds else { continue }
                let fraction = progress.fraction
                line.update("scanning: \(progress.phase.label) \(Int(fraction * 100))% \(line.eta(fraction: fraction))")
            }
        }
        defer {
            watcher.cancel()
            line.finish()
        }
        return try ImageAnalysis.scan(image, progress: progress, tally: tally)
    }

    /// The callback `MetadataDiff.comparingContent` takes: bytes compared of `total`, drawn after
    /// the first second. Always returns true (the comparison is never stopped from here).
    func contentProgress(total: UInt64) -> (UInt64) -> Bool {
        { done in
            guard self.elapsedSeconds >= Self.quietSeconds, total > 0 else { return true }
            let fraction = Double(done) / Double(total)
            self.update("comparing content: \(Formatted.humanSize(done)) of \(Formatted.humanSize(total)) "
                        + "\(Int(fraction * 100))% \(self.eta(fraction: fraction))")
            return true
        }
    }
}
