import Dispatch
import Synchronization

/// The images found so far and not yet taken, between the walk (one producer) and the scanning
/// threads (consumers), so scanning starts with the first image found rather than after the walk.
///
/// Each ``push(_:)`` signals once and ``finish(consumers:)`` once per consumer, so a consumer
/// woken with nothing to take knows the walk is over.
final class SurveyQueue<Item: Sendable>: Sendable {
    private let items = Mutex<(pending: [Item], head: Int, finished: Bool)>(([], 0, false))
    private let available = DispatchSemaphore(value: 0)

    func push(_ item: Item) {
        items.withLock { $0.pending.append(item) }
        available.signal()
    }

    /// No more items will come; wakes every consumer.
    func finish(consumers: Int) {
        items.withLock { $0.finished = true }
        for _ in 0..<consumers { available.signal() }
    }

    /// The next item, waiting for the walk if needed; nil once the walk is over and all is taken.
    func pop() -> Item? {
        available.wait()
        return items.withLock { s -> Item? in
            guard s.head < s.pending.count else { return nil }
            let item = s.pending[s.head]
            s.head += 1
            // Drop taken items now and then, so a long walk does not keep every path.
            if s.head > 1024 && s.head * 2 > s.pending.count {
                s.pending.removeFirst(s.head)
                s.head = 0
            }
            return item
        }
    }
}
