import TerminalUI

/// Everything the explorer remembers between frames: which view is open, where each view's
/// cursor is, what is drilled into, and which overlay is up. A value: `update` changes it,
/// `render` draws it, and tests compare it.
public struct AppState: Sendable {
    public var view: ViewID = .header
    /// Screens opened with Enter on top of the current view; Esc/Backspace pops one.
    public var drills: [Drill] = []
    public var overlay: Overlay = .none
    /// A one-line message shown in the status bar until the next key (e.g. a goto error).
    public var message: String?
    public var shouldQuit = false
    /// Keys typed while the screen in front waits for its background data (``ExplorerWork``),
    /// applied in order once it is there, as a terminal keeps type-ahead: `6` `Enter` typed
    /// together opens the first bitmap even when the bitmaps are still being decoded.
    public var typeAhead: [InputEvent] = []

    public var header = ListState()
    public var host = HeatmapState()
    public var guest = HeatmapState()
    public var refcounts = ListState()
    public var snapshots = SnapshotListState()
    public var bitmaps = ListState()
    public var check = ListState()
    /// The state of the drilled screen on top, reset whenever a drill is pushed.
    public var drill = ListState()
    /// Which page of the drilled screen is shown (Tab cycles; e.g. decoded / hex), reset on push.
    public var drillPage = 0
    /// Set on push: the drilled screen has not chosen its first selection yet. Its content may
    /// arrive from the background later (``ExplorerWork``); the cluster drill then selects the
    /// first line that leads somewhere, so Enter walks on at once.
    public var drillSelectionIsInitial = false

    public init(view: ViewID = .header) { self.view = view }

    /// The screen in front: the top drill, else the current view.
    public var front: Screen { drills.last.map(Screen.drill) ?? .view(view) }

    /// What can be in front.
    public enum Screen: Sendable, Hashable {
        case view(ViewID)
        case drill(Drill)
    }

    /// Opens a drill-down screen.
    public mutating func push(_ drill: Drill) {
        drills.append(drill)
        self.drill = ListState()
        drillPage = 0
        drillSelectionIsInitial = true
    }
}

/// A screen opened by Enter from a view.
public enum Drill: Sendable, Hashable {
    /// One host cluster: role, refcounts, references, hex dump and decoded structure.
    case cluster(UInt64)
    /// The guest map of an internal snapshot (its index in the snapshot table).
    case snapshotGuestMap(Int)
    /// The dirty extents of a persistent bitmap (its index in the directory).
    case bitmapExtents(Int)
}

/// A popup over the views.
public enum Overlay: Sendable, Hashable {
    case none
    /// `?`: every key binding.
    case help
    /// `g`: the go-to prompt.
    case goTo(TextFieldState)
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

/// The snapshot tree's list state and its sort order (`s` toggles, as ncdu sorts by size).
public struct SnapshotListState: Sendable, Hashable {
    public enum Order: Sendable, Hashable { case tree, exclusiveBytes }
    public var list = ListState()
    public var order: Order = .tree
    public init() {}
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
    public init() {}
}
