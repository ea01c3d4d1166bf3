import TerminalUI

/// The gallery's pages: every widget once, with sample data shaped like qcowscope's.
extension Gallery {
    func drawWidgets(into screen: inout Screen, in rect: Rect) {
        let columns = rect.splitColumns(weights: [1, 1])
        let left = Frame(title: "Histogram (log scale)", glyphs: glyphs)
        left.draw(into: &screen, in: columns[0].splitTop(9).top)
        let rows = [HistogramRow("refcount 0", count: 3, marked: true), HistogramRow("refcount 1", count: 12034),
                    HistogramRow("refcount 2", count: 310), HistogramRow("refcount 3", count: 12)]
        Histogram(rows: rows, logScale: true, barStyle: .fg(.green), selection: selection % rows.count, glyphs: glyphs)
            .draw(into: &screen, in: left.inner(columns[0].splitTop(9).top))

        let barsRect = columns[0].splitTop(9).rest.splitTop(8).top
        let bars = Frame(title: "Snapshots", glyphs: glyphs)
        bars.draw(into: &screen, in: barsRect)
        let inner = bars.inner(barsRect)
        let snapshots: [(String, Double)] = [("base", 1), ("before-upgrade", 0.62), ("nightly", 0.18), ("tiny", 0.01)]
        for (i, (name, fraction)) in snapshots.enumerated() where i < inner.height {
            let tree = i == snapshots.count - 1 ? glyphs.treeLast : glyphs.treeBranch
            screen.put("\(tree) \(name)", at: Point(x: inner.x, y: inner.y + i), maxWidth: 20)
            HorizontalBar(fraction: fraction, style: .fg(.cyan), glyphs: glyphs)
                .draw(into: &screen, in: Rect(x: inner.x + 20, y: inner.y + i, width: max(0, inner.width - 20), height: 1))
        }
        let progressRow = Rect(x: columns[0].x, y: barsRect.maxY, width: columns[0].width, height: 1)
        ProgressBar(fraction: Double(selection % 10 + 1) / 10, label: "scanning L2 tables",
                    fillStyle: Style(foreground: .black, background: .green))
            .draw(into: &screen, in: progressRow)

        let hexRect = columns[1].splitTop(8).top
        let hex = Frame(title: "Hex dump", glyphs: glyphs)
        hex.draw(into: &screen, in: hexRect)
        let bytes: [UInt8] = Array("QFI".utf8) + [0xFB, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0x1B, 0x5B, 0x32, 0x4A]
        HexDump(bytes: bytes + Array(0..<64), baseOffset: 0, highlights: [HexHighlight(0..<4, style: .fg(.yellow, .bold))])
            .draw(into: &screen, in: hex.inner(hexRect))
        let text = Frame(title: "Paragraph", glyphs: glyphs)
        let textRect = columns[1].splitTop(8).rest
        text.draw(into: &screen, in: textRect)
        Paragraph("Image text is escaped before display: \u{1B}[31mred?\u{07} and 中文 and tabs\tshow as escapes. "
                  + "This paragraph wraps at word boundaries and scrolls.", style: .plain)
            .draw(into: &screen, in: text.inner(textRect))
    }

    func drawHeatmap(into screen: inout Screen, in rect: Rect) {
        let items = Self.roleColors.map { LegendItem($0.0, style: .fg($0.1), swatch: glyphs.swatch) }
        let legend = Legend(items: items)
        let (mapArea, legendArea) = rect.splitBottom(legend.height(forWidth: rect.width))
        legend.draw(into: &screen, in: legendArea)
        let halves = mapArea.splitColumns(weights: [1, 1])
        for (k, layout) in [HeatmapLayout.linear, .hilbert].enumerated() {
            let frame = Frame(title: layout.rawValue, glyphs: glyphs)
            frame.draw(into: &screen, in: halves[k])
            let area = frame.inner(halves[k])
            let grid = HeatmapGrid.gridSize(for: area, columnsPerCell: 2)
            let count = layout.capacity(in: grid)
            let buckets = (0..<count).map { i -> HeatmapCell in
                let role = Self.roleColors[(i * 12 / max(1, count) + (i % 7 == 0 ? 3 : 0)) % Self.roleColors.count]
                return HeatmapCell(style: .fg(role.1), level: Double((i * 37) % 100) / 99)
            }
            HeatmapGrid.arranged(buckets, layout: layout, gridSize: grid, columnsPerCell: 2,
                                 selectedBucket: selection, glyphs: glyphs)
                .draw(into: &screen, in: area)
        }
    }

    mutating func drawTable(into screen: inout Screen, in rect: Rect) {
        var rows: [TableRow] = []
        for i in 0..<100 {
            let bad = i % 13 == 0
            let check = TableCell(bad ? "error" : "ok", style: bad ? Style.fg(.red, .bold) : Style.fg(.green))
            rows.append(TableRow([TableCell(String(i * 8)), TableCell("field_\(i)"),
                                  TableCell(String(i * 4096, radix: 16)), check]))
        }
        let table = Table(
            columns: [TableColumn("Offset", width: .fixed(7), alignment: .right), TableColumn("Field"),
                      TableColumn("Value", alignment: .right), TableColumn("Check", width: .fixed(6))],
            rows: rows, selection: selection, scrollOffset: scroll, glyphs: glyphs)
        table.draw(into: &screen, in: rect)
        scroll = table.visibleOffset(rowsVisible: table.rowsVisible(in: rect))
    }

    func drawColours(into screen: inout Screen, in rect: Rect) {
        for i in 0..<16 {
            screen.put(String(format2(i)), at: Point(x: rect.x + i * 4, y: rect.y), style: Style(background: .ansi(UInt8(i))))
        }
        for i in 16..<256 {
            let k = i - 16
            let p = Point(x: rect.x + (k % 36) * 2, y: rect.y + 2 + k / 36)
            screen.put("  ", at: p, style: Style(background: .indexed(UInt8(i))))
        }
        let attrs: [(String, Attributes)] = [("bold", .bold), ("dim", .dim), ("reverse", .reverse), ("underline", .underline)]
        var x = rect.x
        for (name, a) in attrs { x += screen.put(name, at: Point(x: x, y: rect.y + 10), style: Style(attributes: a)) + 2 }
    }

    private func format2(_ i: Int) -> String { i < 10 ? " \(i) " : " \(i)" }
}
