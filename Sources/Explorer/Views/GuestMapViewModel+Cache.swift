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

    static let capacity = 4
    private let cells = Mutex<[(key: CellsKey, value: [GuestMapViewModel.Cell])]>([])
    private let cursors = Mutex<[(key: CursorKey, value: GuestMapViewModel.CursorInfo)]>([])

    public init() {}

    func cells(_ key: CellsKey, _ compute: () -> [GuestMapViewModel.Cell]) -> [GuestMapViewModel.Cell] {
        if let hit = cells.withLock({ list in list.last { $0.key == key }?.value }) { return hit }
        let value = compute()
        cells.withLock { list in
            list.append((key, value))
            if list.count > Self.capacity { list.removeFirst(list.count - Self.capacity) }
        }
        return value
    }

    func cursor(_ key: CursorKey, _ compute: () -> GuestMapViewModel.CursorInfo) -> GuestMapViewModel.CursorInfo {
        if let hit = cursors.withLock({ list in list.last { $0.key == key }?.value }) { return hit }
        let value = compute()
        cursors.withLock { list in
            list.append((key, value))
            if list.count > Self.capacity { list.removeFirst(list.count - Self.capacity) }
        }
        return value
    }
}
