import Synchronization

/// How far the content comparison under way (`c` in a diff, ``ExplorerWork/diffContent(_:)``)
/// has got, and the stop it checks between batches: the session stops it as soon as no screen
/// wants it any more (Esc, `c` again), so heavy reading never outlives the screen that asked.
/// One at a time: content comparisons share one serial queue.
public final class ContentDiffProgress: Sendable {
    private let done = Atomic<UInt64>(0)
    private let total = Atomic<UInt64>(0)
    private let stopped = Atomic<Bool>(false)

    public init() {}

    /// Bytes compared so far and bytes to compare.
    public var bytes: (done: UInt64, total: UInt64) { (done.load(ordering: .relaxed), total.load(ordering: .relaxed)) }

    public var isStopped: Bool { stopped.load(ordering: .relaxed) }

    /// A comparison of `total` bytes starts.
    func begin(total: UInt64) {
        done.store(0, ordering: .relaxed)
        self.total.store(total, ordering: .relaxed)
        stopped.store(false, ordering: .relaxed)
    }

    /// Records progress; false once stopped (the comparison then ends early).
    func report(_ bytes: UInt64) -> Bool {
        done.store(bytes, ordering: .relaxed)
        return !isStopped
    }

    /// Asks the comparison under way to end at its next batch.
    func stop() { stopped.store(true, ordering: .relaxed) }
}
