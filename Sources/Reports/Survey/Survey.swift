import Dispatch
import Qcow2
import Synchronization

/// A survey of image stores: walks the roots for qcow2 images (``ImageDiscovery``) and analyses
/// them on `jobs` threads as they are found, handing each ``SurveyRecord`` to `record` the moment
/// its scan ends. Memory is that of `jobs` scans at once plus the paths waiting; nothing keeps
/// the records (a caller that wants them all, the interactive table, keeps them itself).
public final class Survey: Sendable {
    public struct Options: Sendable {
        public var jobs: Int
        /// The limits images are opened with (`--no-backing`, the reach of backing names).
        public var limits: @Sendable (ImageDiscovery.Found) -> DecodingLimits
        /// Read the guest's filesystems for reclaimable bytes (`--guest`).
        public var guest: Bool
        /// Opens an image's file (the command puts fault injection in front of it for the tests).
        public var source: @Sendable ([UInt8]) throws(FormatError) -> any ByteSource

        public init(jobs: Int, limits: @escaping @Sendable (ImageDiscovery.Found) -> DecodingLimits = { _ in DecodingLimits() },
                    guest: Bool = false,
                    source: @escaping @Sendable ([UInt8]) throws(FormatError) -> any ByteSource = { (p: [UInt8]) throws(FormatError) -> any ByteSource in try ReadOnlyFile(rawPath: p) }) {
            self.jobs = max(1, jobs)
            self.limits = limits
            self.guest = guest
            self.source = source
        }
    }

    /// Counts so far, for a progress line.
    public struct Progress: Sendable, Hashable {
        public var found = 0
        public var done = 0
        /// Whether the walk is over (``found`` is then the total).
        public var walked = false
        /// Bytes read by the scans of the surveyed images (their metadata).
        public var metadataBytes: UInt64 = 0

        public init() {}
    }

    public let options: Options
    private let counter = ReadCounter()
    private let counts = Mutex(Progress())

    public init(options: Options) { self.options = options }

    public var progress: Progress {
        var p = counts.withLock { $0 }
        p.metadataBytes = counter.bytes
        return p
    }

    /// Walks `roots` and analyses every image found; returns when all are done. `record` and
    /// `skipped` are called from the scanning threads and the walking thread, one at a time per
    /// thread but not in order: serialise what they write.
    public func run(_ roots: [[UInt8]], record: @escaping @Sendable (SurveyRecord) -> Void,
                    skipped: @escaping @Sendable (ImageDiscovery.Skip) -> Void) {
        let queue = SurveyQueue<ImageDiscovery.Found>()
        let workers = DispatchGroup()
        let options = options
        let counter = counter
        for _ in 0..<options.jobs {
            DispatchQueue.global(qos: .userInitiated).async(group: workers) { [self] in
                while let found = queue.pop() {
                    let result = SurveyRecord.analyse(found.rawPath, limits: options.limits(found), guest: options.guest) {
                        (path: [UInt8]) throws(FormatError) -> any ByteSource in
                        CountingSource(try options.source(path), counter: counter)
                    }
                    counts.withLock { $0.done += 1 }
                    record(result)
                }
            }
        }
        ImageDiscovery.walk(roots, found: { [self] found in
            counts.withLock { $0.found += 1 }
            queue.push(found)
        }, skipped: skipped)
        counts.withLock { $0.walked = true }
        queue.finish(consumers: options.jobs)
        workers.wait()
    }
}
