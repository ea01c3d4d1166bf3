import Analysis
import Synchronization

/// The guest map's per-frame results kept between frames: the cells of the last few viewports
/// and the last few cursor cells' details. A frame is redrawn on every key, but moving the
/// cursor changes neither the cells (a pass over the visible extents) nor, within a cell, the
/// host lookup (an L2 table read per layer): both are served from here.
///
/// Keys hold everything the values depend on (which map, which viewport or cluster range), so
/// a stale entry can never be returned; a handful of entries are kept, most recent last.
public final class GuestMapFrameCache: Sendable {
    struct CellsKey: Hashable {
        var source: String
        var viewport: HeatmapViewport
    }

    struct CursorKey: Hashable {
        var source: String
        var clusters: Range<UInt64>
    }

    private let cells = RecentValues<CellsKey, [GuestMapViewModel.Cell]>(capacity: 4)
    private let cursors = RecentValues<CursorKey, GuestMapViewModel.CursorInfo>(capacity: 4)
    private let layerTotals = RecentValues<String, GuestLayerCounts>(capacity: 2)

    public init() {}

    func cells(_ key: CellsKey, _ compute: () -> [GuestMapViewModel.Cell]) -> [GuestMapViewModel.Cell] {
        cells.value(for: key, compute)
    }

    func cursor(_ key: CursorKey, _ compute: () -> GuestMapViewModel.CursorInfo) -> GuestMapViewModel.CursorInfo {
        cursors.value(for: key, compute)
    }

    /// The volume layer's counts over the whole disk of map `source` (the legend's).
    func layerTotals(_ source: String, _ compute: () -> GuestLayerCounts) -> GuestLayerCounts {
        layerTotals.value(for: source, compute)
    }
}

/// The values computed for the last `capacity` keys, most recent last: a linear search of a
/// handful of entries, safe to share between the UI thread and background work.
final class RecentValues<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let capacity: Int
    private let entries = Mutex<[(key: Key, value: Value)]>([])

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// The value kept for `key`, or `compute()`'s, which is then kept (the oldest entry dropped).
    func value(for key: Key, _ compute: () -> Value) -> Value {
        if let hit = entries.withLock({ list in list.last { $0.key == key }?.value }) { return hit }
        let value = compute()
        entries.withLock { list in
            list.append((key, value))
            if list.count > capacity { list.removeFirst(list.count - capacity) }
        }
        return value
    }
}
