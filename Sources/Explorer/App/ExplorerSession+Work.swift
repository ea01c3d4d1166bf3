import Dispatch
import Synchronization
import TerminalUI

/// What background work the session has been asked for: the set the screen in front wants now,
/// and the items queued or running with when they were asked for. One lock guards both, so a
/// queued item is either run or dropped, never lost between a request and a drop.
struct WorkBook {
    var wanted: Set<ExplorerWork> = []
    var queued: [ExplorerWork: ContinuousClock.Instant] = [:]
    /// Tests: while set, work waits on it before starting (``ExplorerSession/pauseBackgroundWork()``).
    var gate: DispatchGroup?
}

/// Background work on request (``ExplorerWork``), the same way as the scan: the UI thread never
/// computes it. The run loop asks, before every frame, for what the screen in front needs
/// (``requestWork(for:)``); each item runs on its kind's serial queue and stores its result in
/// the data under the lock, where the next frame finds it.
///
/// Esc while an item waits in its queue drops it (it is no longer wanted when its turn comes);
/// an item already running cannot be interrupted (the walks have no cancellation points), so it
/// finishes harmlessly and its result is kept for the next time.
extension ExplorerSession {
    /// Applies `event` to `state` (``Explorer/update(_:_:_:size:)``), then asks for the work the
    /// new front screen needs.
    public func update(_ state: inout AppState, _ event: InputEvent, size: Size) {
        Explorer.update(&state, event, snapshot(), size: size)
        requestWork(for: state)
    }

    /// Starts, in the background, the work `state`'s front screen needs that is neither done
    /// nor under way; queued work the screen no longer needs will be dropped. Cheap: call it
    /// before every frame.
    public func requestWork(for state: AppState) {
        let data = snapshot()
        let items = Explorer.work(state, data)
        // A content comparison nobody wants any more (Esc, `c` again) stops at its next batch.
        if !items.contains(where: \.isContentDiff) { data.contentProgress.stop() }
        let start = book.withLock { book -> [ExplorerWork] in
            book.wanted = Set(items)
            let new = items.filter { book.queued[$0] == nil }
            for item in new { book.queued[item] = .now }
            return new
        }
        for item in start {
            inFlight.enter()
            queues[item.kind]?.async { [self] in
                defer { inFlight.leave() }
                run(item)
            }
        }
    }

    /// True while requested work is queued or running (the run loop polls faster then, to show
    /// the result as soon as it arrives).
    public var isWorking: Bool { book.withLock { !$0.queued.isEmpty } }

    /// Blocks until every requested item has finished or been dropped (tests, `render`).
    public func waitForBackgroundWork() { inFlight.wait() }

    /// Asks for the work `state` needs and waits for it: the frame drawn next is complete.
    public func settle(_ state: AppState) {
        requestWork(for: state)
        waitForBackgroundWork()
    }

    /// Tests: holds every item back before it starts, so a frame can be drawn while it is
    /// pending, until ``resumeBackgroundWork()``.
    public func pauseBackgroundWork() {
        let gate = DispatchGroup()
        gate.enter()
        let old = book.withLock { book in
            defer { book.gate = gate }
            return book.gate
        }
        old?.leave()
    }

    /// Tests: lets held-back work start.
    public func resumeBackgroundWork() {
        let gate = book.withLock { book in
            defer { book.gate = nil }
            return book.gate
        }
        gate?.leave()
    }

    /// One item on its queue: wait while paused, drop it if no longer wanted, else compute it
    /// (outside every lock: it reads the image) and store the result.
    private func run(_ item: ExplorerWork) {
        if let gate = book.withLock({ $0.gate }) { gate.wait() }
        let go = book.withLock { book -> Bool in
            guard book.wanted.contains(item) else {
                book.queued[item] = nil
                return false
            }
            return true
        }
        guard go else { return }
        runNow(item)
        book.withLock { _ = $0.queued.removeValue(forKey: item) }
    }

    /// Computes `item` on the calling thread (unless done already) and stores its result.
    func runNow(_ item: ExplorerWork) {
        let data = snapshot()
        guard !item.isDone(in: data) else { return }
        let store = item.compute(data)
        state.withLock { store(&$0) }
    }
}
