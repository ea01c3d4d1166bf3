import TerminalUI

/// Everything the explorer remembers between frames: where the user is (``Navigation``: the view,
/// every view's cursor, the drill-down in front), where Esc goes back to, and which overlay is
/// up. A value: `update` changes it, `render` draws it, and tests compare it.
///
/// A view keeps its cursor in a ``ScreenState`` under its ``ViewID``, so a new view needs no
/// field here. Every Enter that opens a screen (a drill-down, or a jump to another view such as
/// a finding shown in the host map) pushes the whole navigation first, and Esc pops it: the
/// parent comes back exactly as it was — its selection, page, scroll and zoom — whatever the
/// child did.
public struct AppState: Sendable, Hashable {
    /// Where the user is now.
    public var navigation: Navigation
    /// The navigations left by Enter, most recent last; Esc/Backspace pops one.
    public var history: [Navigation] = []
    public var overlay: Overlay = .none
    /// A one-line message shown in the status bar until the next key (e.g. a goto error).
    public var message: String?
    public var shouldQuit = false
    /// Esc with nothing to go back to quits, as when the explorer was opened from the survey
    /// table (Esc or q returns there).
    public var escapeLeaves = false
    /// Seconds between re-scans while watching (`--watch SECONDS`, else 2), and whether `w` (or
    /// `--watch`) turned watching on: the run loop re-scans and the maps highlight what is new.
    public var watchSeconds: Double = 2
    public var watching = false
    /// Keys typed while the screen in front waits for its background data (``ExplorerWork``),
    /// applied in order once it is there, as a terminal keeps type-ahead: `6` `Enter` typed
    /// together opens the first bitmap even when the bitmaps are still being decoded.
    public var typeAhead: [InputEvent] = []

    /// Back steps kept at most: holding Enter on a chain of clusters drops the oldest ones.
    static let historyLimit = 64

    public init(view: ViewID = .header) { navigation = Navigation(view: view) }

    /// The top-level view (under any drill-down).
    public var view: ViewID {
        get { navigation.view }
        set { navigation.view = newValue }
    }

    /// The state of top-level view `id`.
    public subscript(id: ViewID) -> ScreenState {
        get { navigation.views[id] ?? ScreenState() }
        set { navigation.views[id] = newValue }
    }

    /// The state of the screen in front: the drill-down's own, else the view's.
    public var screen: ScreenState {
        get { navigation.drill?.state ?? self[view] }
        set {
            if navigation.drill != nil { navigation.drill?.state = newValue } else { self[view] = newValue }
        }
    }

    /// The screen in front: the drill-down, else the current view.
    public var front: Screen { navigation.drill.map { .drill($0.drill) } ?? .view(view) }

    /// What can be in front.
    public enum Screen: Sendable, Hashable {
        case view(ViewID)
        case drill(Drill)
    }

    /// The drill-downs from the view to the front, outermost first (what Esc walks back through).
    public var drills: [Drill] {
        guard let top = navigation.drill else { return [] }
        let under = history.reversed().prefix { $0.drill != nil }.reversed().compactMap { $0.drill?.drill }
        return under + [top.drill]
    }

    /// Opens a drill-down screen on top of the one in front, with a fresh state of its own.
    public mutating func push(_ drill: Drill) {
        remember()
        navigation.drill = DrillFrame(drill)
    }

    /// Puts `drill` in place of the drill-down in front (`[`/`]` walk to the next cluster): Esc
    /// still goes back to what was under it.
    public mutating func replaceFront(with drill: Drill) {
        guard navigation.drill != nil else { return push(drill) }
        navigation.drill = DrillFrame(drill)
    }

    /// Enter that shows something in another view (a finding in the host map): the view
    /// changes, and Esc comes back here.
    public mutating func jump(to id: ViewID, _ change: (inout ScreenState) -> Void = { _ in }) {
        remember()
        navigation.drill = nil
        navigation.view = id
        change(&self[id])
    }

    /// A number key or Tab: another view, with no way back (the views keep their cursors).
    public mutating func switchTo(_ id: ViewID) {
        history.removeAll()
        navigation.drill = nil
        navigation.view = id
    }

    /// Esc/Backspace: the navigation before the last Enter, exactly; returns false at the top.
    @discardableResult
    public mutating func goBack() -> Bool {
        guard let parent = history.popLast() else { return false }
        navigation = parent
        return true
    }

    private mutating func remember() {
        history.append(navigation)
        if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
    }
}

/// Where the user is: the top-level view, every view's cursor, and the drill-down in front.
/// What Esc restores.
public struct Navigation: Sendable, Hashable {
    public var view: ViewID
    /// Each view's state; a view not visited yet has the default ``ScreenState``.
    public var views: [ViewID: ScreenState] = [:]
    /// The drill-down in front of the view, if any.
    public var drill: DrillFrame?

    public init(view: ViewID) { self.view = view }
}

/// A drill-down in front and its own screen state.
public struct DrillFrame: Sendable, Hashable {
    public var drill: Drill
    public var state: ScreenState

    /// A new drill-down: nothing selected by a key yet (a cluster drill-down then selects the
    /// first line that leads somewhere once its content is there).
    public init(_ drill: Drill) {
        self.drill = drill
        state = ScreenState()
        state.selectionIsInitial = true
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
    /// A file of the backing chain (its depth: 1 = the backing file), opened from the header or
    /// the snapshots view's chain.
    case chainLayer(Int)
    /// What changed between two states (the snapshots view's `d` / `D`), as a guest heatmap.
    case diff(DiffPair)
}

/// A popup over the views.
public enum Overlay: Sendable, Hashable {
    case none
    /// `?`: every key binding.
    case help
    /// `g`: the go-to prompt.
    case goTo(TextFieldState)
}
