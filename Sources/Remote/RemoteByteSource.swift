#if canImport(Glibc)
import Glibc
#endif
import Qcow2
import Synchronization

/// A remote image as a ``ByteSource``: the format and analysis layers read it like a file.
///
/// Reads go through a bounded block cache; what is missing is fetched in as few requests as
/// possible (adjacent blocks merged), and ``prefetch(_:)`` lets the scan name the tables it is
/// about to read so they arrive together, over parallel connections. One lock serialises the
/// fetcher: neither a curl multi handle nor the cache may be used from two threads at once.
///
/// Once a request has failed for good (retries spent, a timeout), every later read fails at once
/// with the same error: a dead server costs one timeout, not one per table of the scan.
public final class RemoteByteSource: ByteSource, @unchecked Sendable {
    public let url: RemoteURL
    public let size: UInt64
    let options: RemoteOptions
    private let state: Mutex<State>

    struct State {
        var cache: BlockCache
        var failure: FormatError?
    }

    /// The fetcher, only ever touched under the lock (``withFetcher``).
    private let fetcher: any RangeFetcher

    init(url: RemoteURL, fetcher: any RangeFetcher, options: RemoteOptions, blockSize: UInt64 = 4096,
         initial: (bytes: [UInt8], at: UInt64)? = nil) {
        self.url = url
        self.size = fetcher.size
        self.options = options
        self.fetcher = fetcher
        var cache = BlockCache(blockSize: blockSize, capacityBytes: options.cacheBytes)
        if let initial { cache.insert(initial.bytes, at: initial.at) }
        self.state = Mutex(State(cache: cache))
    }

    public var rawPath: [UInt8] { Array(url.text.utf8) }
    public var remoteURL: RemoteURL? { url }

    public func openOnSameServer(_ other: RemoteURL) throws(FormatError) -> any ByteSource {
        guard other.server == url.server else {
            throw FormatError(.file, at: 0, .invalid("\(other.text.terminalSafe) is not on \(url.server)"))
        }
        return try RemoteSources.open(other, options: options)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(FormatError) -> Int {
        guard offset < size, buffer.count > 0 else { return 0 }
        let end = offset + min(UInt64(buffer.count), size - offset)
        let result = state.withLock { s -> Result<Void, FormatError> in
            Result { () throws(FormatError) in try fill(buffer, range: offset..<end, state: &s) }
        }
        try result.get()
        return Int(end - offset)
    }

    public func prefetch(_ ranges: [Range<UInt64>]) {
        state.withLock { s in
            guard s.failure == nil else { return }
            let block = s.cache.blockSize
            // At most half the cache at once, so a prefetch never evicts its own first tables.
            var budget = UInt64(s.cache.capacity / 2) * block
            var wanted: [Range<UInt64>] = []
            for run in ByteRuns.merge(ranges, blockSize: block, size: size) {
                for missing in missingRuns(in: run, cache: s.cache) where budget > 0 {
                    let take = missing.lowerBound..<min(missing.upperBound, missing.lowerBound + budget)
                    wanted.append(take)
                    budget -= UInt64(take.count)
                }
            }
            guard !wanted.isEmpty else { return }
            // A failed prefetch is forgotten except for a dead server: the read that needs the
            // bytes asks again and reports the error with its own offset.
            _ = Result { () throws(FormatError) in try fetchIntoCache(wanted, state: &s) }
        }
    }

    /// Copies `range` into `buffer`, fetching the blocks the cache lacks in one batch.
    private func fill(_ buffer: UnsafeMutableRawBufferPointer, range: Range<UInt64>, state s: inout State) throws(FormatError) {
        let block = s.cache.blockSize
        let aligned = ByteRuns.merge([range], blockSize: block, size: size)
        let missing = aligned.flatMap { missingRuns(in: $0, cache: s.cache) }
        // Cached blocks first: fetching may evict them when the read is larger than the cache.
        var index = range.lowerBound / block
        while index * block < range.upperBound {
            if let bytes = s.cache.block(index) { copy(bytes, at: index * block, into: buffer, range: range) }
            index += 1
        }
        guard !missing.isEmpty else { return }
        let fetched = try fetch(missing, state: &s)
        for (run, bytes) in zip(missing, fetched) {
            copy(bytes, at: run.lowerBound, into: buffer, range: range)
            s.cache.insert(bytes, at: run.lowerBound)
        }
    }

    private func fetchIntoCache(_ runs: [Range<UInt64>], state s: inout State) throws(FormatError) {
        let fetched = try fetch(runs, state: &s)
        for (run, bytes) in zip(runs, fetched) { s.cache.insert(bytes, at: run.lowerBound) }
    }

    /// Fetches `runs` (split to the fetcher's request limit), or fails at once after a fatal error.
    private func fetch(_ runs: [Range<UInt64>], state s: inout State) throws(FormatError) -> [[UInt8]] {
        if let failure = s.failure {
            throw FormatError(.file, at: runs.first?.lowerBound ?? 0, .io(errno: failure.kind.errno ?? EIO,
                operation: "\(url.text.terminalSafe) is not read any more after an earlier failure (\(failure.kind.message))"))
        }
        let pieces = ByteRuns.split(runs, limit: fetcher.requestLimit)
        let fetched: [[UInt8]]
        do {
            fetched = try fetcher.fetch(pieces, stats: options.stats)
        } catch {
            if RemoteFailure.isFatal(error) { s.failure = error }
            throw error
        }
        guard pieces.count != runs.count else { return fetched }
        // Join the pieces back into their runs.
        var out: [[UInt8]] = []
        var k = 0
        for run in runs {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(run.count)
            while k < pieces.count, pieces[k].upperBound <= run.upperBound {
                bytes += fetched[k]
                k += 1
            }
            out.append(bytes)
        }
        return out
    }

    /// The runs of blocks of `run` the cache lacks, as byte ranges.
    private func missingRuns(in run: Range<UInt64>, cache: BlockCache) -> [Range<UInt64>] {
        let block = cache.blockSize
        var out: [Range<UInt64>] = []
        var start: UInt64? = nil
        var offset = run.lowerBound
        while offset < run.upperBound {
            if cache.contains(offset / block) {
                if let s = start { out.append(s..<offset); start = nil }
            } else if start == nil {
                start = offset
            }
            offset += block
        }
        if let s = start { out.append(s..<run.upperBound) }
        return out
    }

    /// Copies the part of `bytes` (which start at `at`) that falls in `range` into `buffer`
    /// (which holds `range`).
    private func copy(_ bytes: [UInt8], at: UInt64, into buffer: UnsafeMutableRawBufferPointer, range: Range<UInt64>) {
        let low = max(at, range.lowerBound)
        let high = min(at + UInt64(bytes.count), range.upperBound)
        guard low < high else { return }
        bytes.withUnsafeBytes { source in
            let from = UnsafeRawBufferPointer(rebasing: source[Int(low - at)..<Int(high - at)])
            UnsafeMutableRawBufferPointer(rebasing: buffer[Int(low - range.lowerBound)...]).copyMemory(from: from)
        }
    }
}
