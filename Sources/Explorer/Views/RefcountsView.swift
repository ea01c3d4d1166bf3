import Analysis
import Reports
import TerminalUI

/// View 4: refcounts at a glance. Clusters per refcount value, stored (left) and counted by the
/// scan (right) on one log scale, buckets that differ in red; the mismatches by kind; clusters
/// per role in their map colours; and how fragmented the current disk is (e4defrag's idea).
public enum RefcountsView: ExplorerScreen {
    public static func draw(_ state: AppState, _ data: ExplorerData, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect) {
        guard let model = RefcountsViewModel(data: data) else {
            let text = data.scanError.map { "The refcounts need the scan, which failed: \($0.terminalSafe)" }
                ?? "Comparing refcounts (\(Int(data.progress * 100))%): the histograms appear when the scan has finished."
            screen.draw(Paragraph(text, style: theme.label), in: body.inset(top: 1, left: 2, right: 2))
            return
        }
        let r = regions(body)
        screen.put(model.title, in: r.title, style: model.mismatches > 0 ? theme.error : theme.title)
        drawRefcounts(model, state: state, theme: theme, into: &screen, in: r.refcounts)
        drawRoles(model, theme: theme, into: &screen, in: r.roles)
        drawMismatches(model, theme: theme, into: &screen, in: r.mismatches)
        drawExtents(model, theme: theme, into: &screen, in: r.extents)
    }

    /// The title row and the four framed boxes: refcounts and roles on top, mismatches and
    /// extents below.
    static func regions(_ body: Rect) -> (title: Rect, refcounts: Rect, roles: Rect, mismatches: Rect, extents: Rect) {
        let (title, rest) = body.splitTop(1)
        let halves = rest.splitRows(weights: [3, 2])
        let top = halves[0].splitColumns(weights: [3, 2])
        let bottom = halves[1].splitColumns(weights: [3, 2])
        return (title, top[0], top[1], bottom[0], bottom[1])
    }

    /// The rows of the refcount lists inside their frame (below the column headings).
    static func listRect(_ body: Rect) -> Rect { regions(body).refcounts.inset(by: 1).inset(top: 1) }

    /// A frame titled `title`; returns its inside.
    static func frame(_ title: String, titleStyle: Style? = nil, theme: Theme, into screen: inout TerminalUI.Screen, in rect: Rect) -> Rect {
        let frame = Frame(title: title, style: theme.label, titleStyle: titleStyle ?? theme.accent, glyphs: theme.glyphs)
        screen.draw(frame, in: rect)
        return frame.inner(rect)
    }

    static func drawRefcounts(_ model: RefcountsViewModel, state: AppState, theme: Theme, into screen: inout TerminalUI.Screen, in rect: Rect) {
        let inner = frame("Clusters by refcount: stored │ counted (log scale)", theme: theme, into: &screen, in: rect)
        guard inner.height > 1 else { return }
        let (head, list) = inner.splitTop(1)
        let selection = min(state.screen.list.selection, max(0, model.rows.count - 1))
        let halves = list.splitColumns(weights: [1, 1])
        let labelWidth = max(5, model.rows.map { $0.label.count }.max() ?? 1)
        screen.put("value", in: Rect(x: halves[0].x, y: head.y, width: labelWidth, height: 1), style: theme.label, alignment: .right)
        screen.put("stored", in: Rect(x: halves[0].x + labelWidth + 2, y: head.y, width: 12, height: 1), style: theme.label)
        screen.put("counted", in: Rect(x: halves[1].x + 2, y: head.y, width: 12, height: 1), style: theme.label)
        let marked = theme.error
        let stored = Histogram(rows: model.rows.map { HistogramRow(RefcountsViewModel.paddedLabel($0.label), count: $0.stored, marked: $0.differs) },
                               logScale: true, barStyle: theme.bar, markedStyle: marked, labelStyle: theme.value,
                               scrollOffset: state.screen.list.scroll, selection: selection, glyphs: theme.glyphs)
        let counted = Histogram(rows: model.rows.map { HistogramRow("", count: $0.counted, marked: $0.differs) },
                                logScale: true, barStyle: theme.good, markedStyle: marked, labelStyle: theme.value,
                                scrollOffset: state.screen.list.scroll, selection: selection, glyphs: theme.glyphs)
        screen.draw(stored, in: halves[0])
        screen.draw(counted, in: halves[1])
    }

    static func drawRoles(_ model: RefcountsViewModel, theme: Theme, into screen: inout TerminalUI.Screen, in rect: Rect) {
        let inner = frame("Clusters by role (log scale)", theme: theme, into: &screen, in: rect)
        let rows = model.roles.map { HistogramRow($0.role.jsonName, count: $0.count, style: theme.style($0.role)) }
        screen.draw(Histogram(rows: rows, logScale: true, markedStyle: theme.error, labelStyle: theme.value, glyphs: theme.glyphs), in: inner)
    }

    static func drawMismatches(_ model: RefcountsViewModel, theme: Theme, into screen: inout TerminalUI.Screen, in rect: Rect) {
        let inner = frame("Stored ≠ counted", theme: theme, into: &screen, in: rect)
        // The count right-aligned, whole; the explanation gives way on a narrow screen.
        let countWidth = max(1, model.mismatchLines.compactMap { $0.count.map { String($0).count } }.max() ?? 1)
        for (y, line) in model.mismatchLines.enumerated() where y < inner.height {
            let style = line.problem ? theme.error : (line.count == nil ? theme.label : theme.value)
            guard let count = line.count else {
                screen.put(line.text, in: inner.row(y), style: style)
                continue
            }
            let (text, number) = inner.row(y).splitRight(countWidth + 1)
            screen.put(line.text, in: text, style: style)
            screen.put(String(count), in: number, style: style, alignment: .right)
        }
        let first = model.mismatchLines.count + 1
        guard !model.samples.isEmpty, inner.height > first + 1 else { return }
        screen.put("First mismatches (the Check view lists all):", in: inner.row(first), style: theme.accent)
        for (k, f) in model.samples.enumerated() where first + 1 + k < inner.height {
            screen.put("  \(f.kind.rawValue): \(f.message.terminalSafe)", in: inner.row(first + 1 + k),
                       style: f.counting == .corruption ? theme.error : theme.warning)
        }
    }

    static func drawExtents(_ model: RefcountsViewModel, theme: Theme, into screen: inout TerminalUI.Screen, in rect: Rect) {
        let f = model.fragmentation
        let band = f.score > 55 ? theme.error : f.score > 30 ? theme.warning : theme.good
        let inner = frame(model.fragmentationTitle, titleStyle: band.adding(.bold), theme: theme, into: &screen, in: rect)
        guard !model.extents.isEmpty else {
            screen.put("no allocated guest clusters", in: inner.row(0), style: theme.label)
            return
        }
        // Wrapped, not cut: every count stays whole on a narrow screen.
        var y = 0
        for (k, line) in model.extentLines(width: inner.width).enumerated() {
            for piece in Paragraph.wrap(line, width: inner.width) where y < inner.height {
                screen.put(piece, in: inner.row(y), style: k == 0 ? band : theme.label)
                y += 1
            }
        }
        let rows = model.extents.map { HistogramRow($0.label, count: $0.count) }
        screen.draw(Histogram(rows: rows, logScale: true, barStyle: band, labelStyle: theme.value, glyphs: theme.glyphs),
                    in: inner.inset(top: y))
    }

    public static func handle(_ event: InputEvent, _ state: inout AppState, _ data: ExplorerData, body: Rect) -> Bool {
        guard let model = RefcountsViewModel(data: data) else { return false }
        if event == .enter {
            return openFirstCluster(model, &state, data)
        }
        let list = listRect(body)
        let visible = max(1, list.height)
        if case .mouse(let m) = event, m.kind == .press {
            guard list.contains(m.point) else { return false }
            let row = state.screen.list.scroll + (m.y - list.y)
            guard model.rows.indices.contains(row) else { return false }
            state.screen.list.selection = row
            return true
        }
        guard state.screen.list.handleNavigation(event, count: model.rows.count, page: visible) else { return false }
        state.screen.list.keepSelectionVisible(visibleRows: visible, count: model.rows.count)
        return true
    }

    /// Enter: the host map at the first cluster whose counted refcount is in the selected bucket.
    static func openFirstCluster(_ model: RefcountsViewModel, _ state: inout AppState, _ data: ExplorerData) -> Bool {
        guard let analysis = data.analysis, model.rows.indices.contains(state.screen.list.selection) else { return false }
        let bucket = model.rows[state.screen.list.selection].bucket
        for c in 0..<analysis.clusters.count where RefcountHistogram.bucket(of: analysis.computedRefcount(ofCluster: c)) == bucket {
            state.jump(to: .host) { $0.map.cursor = UInt64(c) }
            return true
        }
        state.message = "no cluster has a counted refcount of \(model.rows[state.screen.list.selection].label)"
        return true
    }

    public static func position(_ state: AppState, _ data: ExplorerData) -> String {
        RefcountsViewModel(data: data)?.describe(row: state.screen.list.selection) ?? "refcounts · waiting for the scan"
    }

    public static var hints: [KeyHint] {
        [KeyHint("↑↓", "select a refcount"), KeyHint("Enter", "first cluster with it in the host map"),
         KeyHint("PgUp/PgDn Home/End", "scroll the refcounts"), KeyHint("mouse", "click selects a refcount, wheel scrolls")]
    }
}
