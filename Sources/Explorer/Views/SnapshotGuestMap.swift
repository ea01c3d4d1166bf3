import Analysis
import Qcow2

/// One internal snapshot's guest map and its overview: the snapshot's L1/L2 tables walked like
/// the active ones, with the backing chain beneath. Built off the UI thread
/// (``ExplorerWork/snapshotMap(_:)``) the first time the snapshot's map is opened, and kept for
/// the session in ``ExplorerData/snapshotMaps``: a walk reads every L2 table of the snapshot.
public struct SnapshotGuestMap: Sendable {
    /// A snapshot's map, or why it cannot be walked.
    public typealias Entry = Result<SnapshotGuestMap, SnapshotGuestMapError>

    public let snapshot: Snapshot
    public let map: GuestMap
    public let overview: GuestMapOverview

    /// Walks snapshot `index` of `data`'s image (slow: every L2 table it names).
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

/// Why a snapshot's map could not be built (its L1 table unreadable, the top not qcow2...).
public struct SnapshotGuestMapError: Error, Sendable, Hashable {
    public let message: String
}
