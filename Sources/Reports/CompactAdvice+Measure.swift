import Analysis
import Dispatch
import Qcow2
import Synchronization

extension CompactAdvice {
    /// What `frag` needs of one image: its scan and the compacted size, each measured the
    /// cheapest way, or why the compacted size could not be measured.
    public struct Measured: Sendable {
        public let analysis: ImageAnalysis
        public let advice: CompactAdvice?
        /// Why there is no ``advice`` (nil when there is one).
        public let failure: String?
    }

    /// Scans `image` with `scan` and measures the compacted size beside it.
    ///
    /// The compacted size needs a walk of the guest map (the backing chain's active L2 tables).
    /// An image without a backing or data file, not in use, is measured from the tables the scan
    /// reads anyway (``CompactSizeTally``, handed to `scan`); otherwise, or when a table did not
    /// come, the walk reads them again, for a local file on a second core while `scan` runs on
    /// this one. (A remote image keeps one reader: the two would share its block cache.) `scan`
    /// is the caller's (the command shows its progress line); what it throws is rethrown.
    public static func measure(_ image: Qcow2Image, scan: (CompactSizeTally?) throws -> ImageAnalysis) throws -> Measured {
        let clusterSize = image.header.clusterSize
        let chain = BackingChain.open(top: image)
        let map = Result { () throws(FormatError) -> GuestMap in try GuestMap(chain: chain) }
        let tally = image.isInUse ? nil
            : (try? map.get()).flatMap { CompactSizeTally(map: $0, clusterSizes: clusterSizes(clusterSize)) }
        let measured = Mutex<Result<CompactAdvice, FormatError>?>(nil)
        let walk = { @Sendable in
            let result = Result { () throws(FormatError) -> CompactAdvice in
                try CompactAdvice(map: map.get(), clusterSize: clusterSize, fileSize: image.file.size)
            }
            measured.withLock { $0 = result }
        }
        let concurrent = tally == nil && image.file is ReadOnlyFile
        let done = DispatchGroup()
        if concurrent { DispatchQueue.global(qos: .userInitiated).async(group: done, execute: walk) }
        let scanned = Result { () throws -> ImageAnalysis in try scan(tally) }
        done.wait()
        let analysis = try scanned.get()
        if let sizes = tally?.result() {
            measured.withLock { $0 = .success(CompactAdvice(sizes: sizes, clusterSize: clusterSize, fileSize: image.file.size)) }
        } else if !concurrent {
            walk()
        }
        switch measured.withLock({ $0 }) {
        case .success(let advice):
            return Measured(analysis: analysis, advice: advice, failure: nil)
        case .failure(let error):
            return Measured(analysis: analysis, advice: nil, failure: "cannot measure a compacted copy: \(error.description)")
        case nil:
            return Measured(analysis: analysis, advice: nil, failure: "cannot measure a compacted copy: the guest map was not walked")
        }
    }
}
