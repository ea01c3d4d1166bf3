import Synchronization

/// Progress and cancellation shared between a scan and whoever watches it.
///
/// The explorer runs the scan on a background thread and polls ``fraction`` from the UI thread;
/// pressing a key calls ``cancel()``, which the scan notices before its next L2 table or
/// refcount block. Both sides only touch atomics, so no locks are taken on the hot path.
public final class ScanProgress: Sendable {
    private let done = Atomic<UInt64>(0)
    private let total = Atomic<UInt64>(1)
    private let cancelled = Atomic<Bool>(false)
    private let phaseCode = Atomic<UInt8>(0)

    /// The step the scan is in, for a status line.
    public enum Phase: UInt8, Sendable {
        case opening, tables, l2Tables, refcounts, finishing, finished
        public var label: String {
            switch self {
            case .opening: "opening"
            case .tables: "reading L1 and metadata tables"
            case .l2Tables: "reading L2 tables"
            case .refcounts: "comparing refcounts"
            case .finishing: "summarising"
            case .finished: "done"
            }
        }
    }

    public init() {}

    /// Completed work over planned work, 0...1.
    public var fraction: Double {
        let t = total.load(ordering: .relaxed)
        let d = done.load(ordering: .relaxed)
        return t == 0 ? 1 : min(1, Double(d) / Double(t))
    }

    public var phase: Phase { Phase(rawValue: phaseCode.load(ordering: .relaxed)) ?? .opening }
    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// Asks the scan to stop; it throws ``ScanError/cancelled`` soon after.
    public func cancel() { cancelled.store(true, ordering: .relaxed) }

    func set(phase: Phase) { phaseCode.store(phase.rawValue, ordering: .relaxed) }
    func plan(units: UInt64) {
        total.store(max(units, 1), ordering: .relaxed)
        done.store(0, ordering: .relaxed)
    }
    func advance(by units: UInt64 = 1) { done.add(units, ordering: .relaxed) }
    func finish() {
        done.store(total.load(ordering: .relaxed), ordering: .relaxed)
        set(phase: .finished)
    }
}

/// Why a scan stopped without a result.
public enum ScanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// ``ScanProgress/cancel()`` was called.
    case cancelled
    /// The image cannot be walked at all (geometry outside what the spec allows).
    case unusable(String)

    public var description: String {
        switch self {
        case .cancelled: "scan cancelled"
        case .unusable(let why): why
        }
    }
}
