import Formatting
import Qcow2
import TerminalUI

/// The survey screen: a title with progress, the totals, the table (the sorted column marked with
/// an arrow), and a status bar with the keys (or the filter being typed).
extension SurveyTable {
    /// Rows of the table on a screen of `size` (for page moves).
    public static func pageRows(_ size: Size) -> Int { max(1, size.height - 5) }

    public mutating func render(size: Size, theme: Theme) -> Screen {
        var screen = Screen(size: size)
        guard size.width > 0, size.height > 0 else { return screen }
        let (titleRow, afterTitle) = screen.bounds.splitTop(1)
        let (totalsRow, afterTotals) = afterTitle.splitTop(1)
        let (body, statusRow) = afterTotals.splitBottom(1)

        let p = progress
        let found = p.walked ? "\(p.found)" : "\(p.found)+"
        let state = p.walked && p.done == p.found ? "\(p.found) images" : "scanning \(p.done)/\(found) images"
        let title = "qcowscope survey  " + roots.map { $0.terminalSafe }.joined(separator: " ")
        screen.draw(StyledLine([(title, theme.title), ("  " + state, theme.label)]), in: titleRow)

        let t = totals
        let shown = filter.isEmpty ? "" : "  (\(rows.count) of \(records.count) shown)"
        screen.draw(StyledLine([
            ("Compacting all would save ", theme.label), (Formatted.humanSize(t.saving), theme.accent),
            ("  leaked ", theme.label), (Formatted.humanSize(t.leaked), t.leaked > 0 ? theme.warning : theme.value),
            ("  with errors ", theme.label), ("\(t.withErrors)", t.withErrors > 0 ? theme.error : theme.value),
            ("  in use ", theme.label), ("\(t.inUse)", theme.value), (shown, theme.label),
        ]), in: totalsRow)

        let table = makeTable(theme: theme)
        let visible = table.rowsVisible(in: body.inset(top: 1))
        scrollOffset = table.visibleOffset(rowsVisible: visible)
        var shownTable = table
        shownTable.scrollOffset = scrollOffset
        screen.draw(shownTable, in: body.inset(top: 1))

        if let text = editingFilter {
            screen.draw(StatusBar(left: "Filter: " + text.terminalSafe + "_", hints: [KeyHint("Enter", "keep"), KeyHint("Esc", "clear")],
                                  style: theme.chrome, keyStyle: theme.chromeKey), in: statusRow)
        } else {
            let sorted = "sorted by \(SurveyColumn.all[sortColumn].title.lowercased())" + (descending ? ", largest first" : "")
            screen.draw(StatusBar(left: sorted, hints: [KeyHint("Enter", "explore"), KeyHint("/", "filter"),
                                                        KeyHint("s/S", "sort"), KeyHint("1-9", "column"), KeyHint("r", "reverse")],
                                  pinned: [KeyHint("q", "quit")], style: theme.chrome, keyStyle: theme.chromeKey), in: statusRow)
        }
        return screen
    }

    /// The table of the shown rows; the header of the sorted column carries the arrow.
    func makeTable(theme: Theme) -> Table {
        let arrow = String(descending ? theme.glyphs.arrowDown : theme.glyphs.arrowUp)
        let columns = SurveyColumn.all.enumerated().map { i, c in
            let title = "\(i + 1) \(c.title)" + (i == sortColumn ? arrow : "")
            return TableColumn(title, width: c.width == 0 ? .flexible(minimum: 12, weight: 1) : .fixed(max(c.width, title.count)),
                               alignment: c.width == 0 || c.key == .state ? .left : .right)
        }
        let roots = roots.map { Array($0.utf8) }
        let tableRows = rows.map { record in
            let state = SurveyColumn.state(record)
            let style: Style = state.rank >= 4 ? theme.error : state.rank >= 1 ? theme.warning : .plain
            return TableRow(SurveyColumn.all.map { c in
                TableCell(c.text(record, roots: roots), style: c.key == .state ? style : nil)
            })
        }
        return Table(columns: columns, rows: tableRows, selection: rows.isEmpty ? nil : selection, scrollOffset: scrollOffset,
                     headerStyle: theme.title.merged(over: Style(attributes: .underline)), selectionStyle: theme.selection,
                     glyphs: theme.glyphs)
    }
}
