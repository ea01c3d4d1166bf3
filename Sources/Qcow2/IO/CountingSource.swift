import Synchronization

/// A running total of bytes read, shared by many sources at once (a survey's progress line
/// reports the metadata read across every image being scanned).
public final class ReadCounter: Sendable {
    private let total = Atomic<UInt64>(0)

    public init() {}

    /// Bytes read so far through every source counting into this one.
    public var bytes: UInt64 { total.load(ordering: .relaxed) }

    func add(_ n: Int) { total.add(UInt64(max(n, 0)), ordering: .relaxed) }
}

/// A byte source in front of another that counts the bytes read through it into a
/// ``ReadCounter``, and otherwise answers exactly as the source behind it (locks, holes, size).
/// A scan reads metadata only, so the count is the metadata a scan needed.
public final class CountingSource: ForwardingSource {
    public let base: any ByteSource
    public let counter: ReadCounter

    public init(_ base: any ByteSource, counter: ReadCounter) {
        self.base = base
        self.counter = counter
    }

    /// Reopened (an image in use re-read), reads still count into the same total.
    public func reopened() throws(FormatError) -> (any ByteSource)? {
        try base.reopened().map { CountingSource($0, counter: counter) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(FormatError) -> Int {
        let n = try base.read(into: buffer, at: offset)
        counter.add(n)
        return n
    }
}
