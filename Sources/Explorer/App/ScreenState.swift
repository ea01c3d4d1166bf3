import Analysis
import TerminalUI

/// The state of one screen, view or drill-down: its list cursor, its heatmap cursor and zoom,
/// its sort order and page. One type for every screen, so a new view needs no field in
/// ``AppState`` and a drill-down that shows a map (a snapshot's guest map) has a cursor of its
/// own; a screen uses the parts it needs and the rest stay at their defaults.
public struct ScreenState: Sendable, Hashable {
    /// Cursor and scroll of a list or table.
    public var list = ListState()
    /// Cursor, zoom and layout of a heatmap.
    public var map = HeatmapState()
    /// `s` in a sortable list: by size instead of the natural order (as ncdu sorts).
    public var sortsBySize = false
    /// Which page is shown (`x` toggles a cluster's decoded / hex pages).
    public var page = 0
    /// Set on opening a drill-down: it has not chosen its first selection yet. Its content may
    /// arrive from the background later (``ExplorerWork``); the cluster drill then selects the
    /// first line that leads somewhere, so Enter walks on at once.
    public var selectionIsInitial = false
    /// A cluster drill-down opened from an L2 entry: that reference, so the drill-down needs no
    /// search for it (``ExplorerWork/cluster(_:via:)``).
    public var via: ClusterReference?
    /// The snapshots view: the snapshot marked with space (by table index), the older side of
    /// the diff `d` opens.
    public var marked: Int?

    public init() {}
}

/// Cursor and scroll position of a list or table view.
public struct ListState: Sendable, Hashable {
    public var selection = 0
    public var scroll = 0
    public init(selection: Int = 0, scroll: Int = 0) {
        self.selection = selection
        self.scroll = scroll
    }

    /// Moves the selection by `delta`, clamped to `count` rows.
    public mutating func move(_ delta: Int, count: Int) {
        guard count > 0 else { selection = 0; return }
        selection = min(max(selection &+ delta, 0), count - 1)
    }

    /// Handles the usual list keys (arrows/jk, PgUp/PgDn, Home/End, mouse wheel); returns whether
    /// the event was one of them.
    public mutating func handleNavigation(_ event: InputEvent, count: Int, page: Int) -> Bool {
        switch event {
        case .up, .character("k"): move(-1, count: count)
        case .down, .character("j"): move(1, count: count)
        case .pageUp: move(-max(1, page), count: count)
        case .pageDown, .character(" "): move(max(1, page), count: count)
        case .home: selection = 0
        case .end: selection = max(0, count - 1)
        case .mouse(let m) where m.kind == .wheelUp: move(-3, count: count)
        case .mouse(let m) where m.kind == .wheelDown: move(3, count: count)
        default: return false
        }
        return true
    }
}

/// Cursor, zoom and layout of a heatmap (host map or guest map).
public struct HeatmapState: Sendable, Hashable {
    /// log2 of the clusters each cell stands for; nil fits the whole map on screen.
    public var zoom: Int?
    /// The cluster under the cursor.
    public var cursor: UInt64 = 0
    /// The first cluster shown (linear layout scrolls; the curve layout pages).
    public var origin: UInt64 = 0
    public var layout: HeatmapLayout = .linear
    /// Guest map only: show where a sequential read jumps in the host file.
    public var showsFragmentation = false
    /// Guest map only: colour each cluster by what the guest filesystem says of it (`v`).
    public var showsVolumes = false
    public init() {}
}
