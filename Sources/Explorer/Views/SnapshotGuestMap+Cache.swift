import Analysis
import Synchronization

/// The guest maps of internal snapshots, walked the first time a snapshot's map is opened and
/// kept for the session: a walk reads every L2 table of the snapshot, far too much per frame.
///
/// A reference shared by every copy of ``ExplorerResults`` (copies are cheap snapshots of the
/// session's data), guarded by a mutex because frames may be drawn from another thread than the
/// one that filled it. The number of entries is bounded by the snapshot table.
public final class SnapshotGuestMapCache: Sendable {
    /// A snapshot's map, its overview, or why it cannot be walked.
    public typealias Entry = Result<SnapshotGuestMap, SnapshotGuestMapError>

    private let entries = Mutex<[Int: Entry]>([:])

    public init() {}

    /// The map of snapshot `index`, walked now when it is not cached yet.
    public func map(of index: Int, data: ExplorerData) -> Entry {
        if let cached = entries.withLock({ $0[index] }) { return cached }
        let entry = Self.build(index, data: data)
        entries.withLock { $0[index] = entry }
        return entry
    }

    static func build(_ index: Int, data: ExplorerData) -> Entry {
        guard index >= 0, index < data.info.snapshots.count else {
            return .failure(SnapshotGuestMapError(message: "there is no snapshot \(index)"))
        }
        let snapshot = data.info.snapshots[index]
        do throws(FormatError) {
            let chainMap: GuestMap
            if let map = data.results.guestMap { chainMap = map } else { chainMap = try GuestMap(chain: data.chain) }
            let map = try chainMap.snapshot(snapshot)
            return .success(SnapshotGuestMap(snapshot: snapshot, map: map, overview: try map.overview()))
        } catch {
            return .failure(SnapshotGuestMapError(message: error.description))
        }
    }
}

/// One snapshot's guest map and its summary.
public struct SnapshotGuestMap: Sendable {
    public let snapshot: Snapshot
    public let map: GuestMap
    public let overview: GuestMapOverview
}

/// Why a snapshot's map could not be built (its L1 table unreadable, the top not qcow2...).
public struct SnapshotGuestMapError: Error, Sendable, Hashable {
    public let message: String
}
