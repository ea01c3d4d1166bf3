import Reports

/// The interactive survey's state: the records that have arrived, how they are sorted and
/// filtered, the selected row, and the filter being typed. A pure value, updated by
/// ``update(_:)`` and drawn by ``render(size:theme:)``, so screen tests run it headless.
public struct SurveyTable: Sendable {
    /// Every record so far, in arrival order (one small record per image).
    public private(set) var records: [SurveyRecord] = []
    /// Index into ``SurveyColumn/all``.
    public var sortColumn = 3
    /// Largest first (the default: the biggest saving on top, as ncdu puts the biggest first).
    public var descending = true
    /// Only rows whose path contains this text are shown.
    public var filter = ""
    /// The filter being edited after `/` (nil when not editing).
    public var editingFilter: String?
    /// The selected row among the shown ones, and the first row shown.
    public var selection = 0
    public var scrollOffset = 0
    /// Progress: images done, found so far, and whether the walk is over.
    public var progress = Survey.Progress()
    /// The surveyed paths, for the title.
    public var roots: [String]
    /// The records in display order, recomputed when records, sort or filter change.
    public private(set) var rows: [SurveyRecord] = []

    public init(roots: [String]) { self.roots = roots }

    /// Adds records that arrived; the selection stays on the same image.
    public mutating func add(_ new: [SurveyRecord]) {
        guard !new.isEmpty else { return }
        records += new
        reorder()
    }

    /// The selected image, if any row is shown.
    public var selected: SurveyRecord? { rows.indices.contains(selection) ? rows[selection] : nil }

    /// Recomputes ``rows`` keeping the selected image selected.
    mutating func reorder() {
        let keep = selected?.rawPath
        let column = SurveyColumn.all[sortColumn]
        let needle = filter.lowercased()
        rows = records.filter { needle.isEmpty || $0.path.lowercased().contains(needle) }
            .sorted { descending ? column.ascending($1, $0) : column.ascending($0, $1) }
        if let keep, let index = rows.firstIndex(where: { $0.rawPath == keep }) { selection = index }
        selection = min(selection, max(0, rows.count - 1))
    }

    /// The totals line's figures, over the shown rows.
    public var totals: (saving: UInt64, leaked: UInt64, withErrors: Int, inUse: Int) {
        rows.reduce((UInt64(0), UInt64(0), 0, 0)) { t, r in
            (t.0 &+ (r["compact-saving-bytes"].uint ?? 0), t.1 &+ (r["leaked-bytes"].uint ?? 0),
             t.2 + ((SurveyColumn.errors(r) ?? 1) > 0 ? 1 : 0), t.3 + (r["in-use"] == .bool(true) ? 1 : 0))
        }
    }
}
