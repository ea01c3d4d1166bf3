import Testing
import TerminalUI
import TerminalUITesting

/// Every widget drawn headlessly and compared with `Golden/<name>.txt`
/// (record with `QCOWSCOPE_RECORD_GOLDEN=1 swift test --filter TerminalUITests`).
@Suite struct WidgetGoldenTests {
    func render(_ width: Int, _ height: Int, _ body: (inout Screen) -> Void) -> Screen {
        var screen = Screen(width: width, height: height)
        body(&screen)
        return screen
    }

    @Test(arguments: [("frame-unicode", GlyphSet.unicode), ("frame-ascii", .ascii)])
    func frame(name: String, glyphs: GlyphSet) {
        let screen = render(24, 5) { s in
            let frame = Frame(title: "Header fields with a long title", glyphs: glyphs)
            frame.draw(into: &s, in: Rect(x: 1, y: 0, width: 22, height: 5))
            Label("inside").draw(into: &s, in: frame.inner(Rect(x: 1, y: 0, width: 22, height: 5)))
        }
        Golden.check(screen, named: name, styles: true)
    }

    @Test func labelsAndParagraph() {
        let screen = render(30, 9) { s in
            Label("left").draw(into: &s, in: Rect(x: 0, y: 0, width: 30, height: 1))
            Label("centre", style: .bold, alignment: .center).draw(into: &s, in: Rect(x: 0, y: 1, width: 30, height: 1))
            Label("right", alignment: .right).draw(into: &s, in: Rect(x: 0, y: 2, width: 30, height: 1))
            Label("a label far too long for its box").draw(into: &s, in: Rect(x: 0, y: 3, width: 12, height: 1))
            Paragraph("The refcount of cluster 0x50000 is 2 but 1 reference was found.\n\nsupercalifragilisticexpialidocious")
                .draw(into: &s, in: Rect(x: 0, y: 4, width: 20, height: 5))
        }
        Golden.check(screen, named: "labels-paragraph", styles: true)
    }

    func sampleTable(selection: Int?, offset: Int) -> Table {
        Table(
            columns: [
                TableColumn("Offset", width: .fixed(6), alignment: .right),
                TableColumn("Field", width: .flexible(minimum: 6, weight: 2)),
                TableColumn("Value", width: .flexible(minimum: 4, weight: 1), alignment: .right),
            ],
            rows: (0..<12).map { i in
                TableRow([TableCell("\(i * 4)"), TableCell("field_\(i)"),
                          TableCell(i == 3 ? "bad" : "\(i * 1000)", style: i == 3 ? .fg(.red, .bold) : nil)])
            },
            selection: selection, scrollOffset: offset)
    }

    @Test func tableScrollsToKeepTheSelectionVisible() {
        let table = sampleTable(selection: 9, offset: 0)
        #expect(table.visibleOffset(rowsVisible: 5) == 5)
        #expect(sampleTable(selection: 1, offset: 5).visibleOffset(rowsVisible: 5) == 1)
        #expect(sampleTable(selection: nil, offset: 50).visibleOffset(rowsVisible: 5) == 7)
        #expect(table.columnWidths(totalWidth: 30) == [6, 14, 8])
        let screen = render(30, 6) { s in table.draw(into: &s, in: s.bounds) }
        Golden.check(screen, named: "table-scrolled", styles: true)
        let top = render(30, 6) { s in sampleTable(selection: 3, offset: 0).draw(into: &s, in: s.bounds) }
        Golden.check(top, named: "table-top", styles: true)
    }

    @Test func bars() {
        let screen = render(24, 9) { s in
            for (i, f) in [0, 0.05, 0.5, 0.77, 1, 1.5].enumerated() {
                s.put(String(f), at: Point(x: 0, y: i))
                HorizontalBar(fraction: f, style: .fg(.green)).draw(into: &s, in: Rect(x: 5, y: i, width: 10, height: 1))
                HorizontalBar(fraction: f, glyphs: .ascii).draw(into: &s, in: Rect(x: 16, y: i, width: 8, height: 1))
            }
            ProgressBar(fraction: 0.42, label: "scanning L2 tables").draw(into: &s, in: Rect(x: 0, y: 7, width: 24, height: 1))
            ProgressBar(fraction: 1, label: "done", fillStyle: Style(background: .green))
                .draw(into: &s, in: Rect(x: 0, y: 8, width: 12, height: 1))
        }
        Golden.check(screen, named: "bars", styles: true)
    }

    @Test func histogram() {
        let rows = [
            HistogramRow("refcount 0", count: 3, marked: true), HistogramRow("refcount 1", count: 12034),
            HistogramRow("refcount 2", count: 310), HistogramRow("refcount 3", count: 1),
            HistogramRow("refcount 65535", count: 0),
        ]
        let screen = render(40, 11) { s in
            Histogram(rows: rows, barStyle: .fg(.cyan)).draw(into: &s, in: Rect(x: 0, y: 0, width: 40, height: 5))
            s.put("log scale, 2nd row selected, 3 lines", at: Point(x: 0, y: 6))
            Histogram(rows: rows, logScale: true, selection: 1).draw(into: &s, in: Rect(x: 0, y: 7, width: 40, height: 3))
        }
        Golden.check(screen, named: "histogram", styles: true)
    }

    @Test(arguments: [HeatmapLayout.linear, .hilbert])
    func heatmap(layout: HeatmapLayout) {
        let roles: [Style] = [.fg(.red), .fg(.yellow), .fg(.green), .fg(.blue)]
        let grid = Size(width: 16, height: 4)
        var buckets: [HeatmapCell] = []
        for i in 0..<layout.capacity(in: grid) {
            let glyph: Character? = i == 21 ? "!" : nil
            let level = Double(i % 8) / 7
            buckets.append(HeatmapCell(style: roles[(i / 8) % roles.count], level: level, glyph: glyph))
        }
        let screen = render(34, 5) { s in
            HeatmapGrid.arranged(buckets, layout: layout, gridSize: grid, selectedBucket: 5)
                .draw(into: &s, in: Rect(x: 0, y: 0, width: 16, height: 4))
            HeatmapGrid.arranged(buckets, layout: layout, gridSize: Size(width: 8, height: 4), columnsPerCell: 2,
                                 glyphs: .ascii)
                .draw(into: &s, in: Rect(x: 18, y: 0, width: 16, height: 4))
        }
        Golden.check(screen, named: "heatmap-\(layout.rawValue)", styles: true)
    }

    @Test func legend() {
        let items = ["header", "L1 table", "L2 tables", "refcounts", "data", "shared data", "free", "leaked"]
            .enumerated().map { LegendItem($1, style: .fg(.ansi(UInt8($0 + 1)))) }
        let legend = Legend(items: items)
        #expect(legend.height(forWidth: 40) == 3)
        let screen = render(40, 3) { s in legend.draw(into: &s, in: s.bounds) }
        Golden.check(screen, named: "legend", styles: true)
    }

    @Test func statusAndTabBars() {
        let screen = render(60, 4) { s in
            TabBar(titles: ["Header", "Clusters", "Guest", "Refcounts", "Snapshots"], active: 1)
                .draw(into: &s, in: s.bounds.row(0))
            StatusBar(left: "disk.qcow2", right: "cluster 42/1024",
                      hints: [KeyHint("q", "quit"), KeyHint("?", "help"), KeyHint("g", "goto")])
                .draw(into: &s, in: s.bounds.row(2))
            StatusBar(left: "narrow", right: "r", hints: [KeyHint("q", "quit"), KeyHint("?", "help")])
                .draw(into: &s, in: Rect(x: 0, y: 3, width: 16, height: 1))
        }
        #expect(TabBar(titles: ["A", "Bb"], active: 0).tabRanges() == [0..<5, 6..<12])
        Golden.check(screen, named: "status-tab-bars", styles: true)
    }

    @Test func hexDump() {
        var bytes: [UInt8] = Array("QFI".utf8)
        bytes += [0xFB, 0, 0, 0, 3]
        bytes += (0..<30).map { (i: Int) -> UInt8 in UInt8(truncatingIfNeeded: i * 9) }
        bytes += [0x1B, 0x5B]
        let screen = render(80, 4) { s in
            HexDump(bytes: bytes, baseOffset: 0x10000, highlights: [HexHighlight(0..<4, style: .fg(.yellow, .bold))])
                .draw(into: &s, in: s.bounds)
        }
        Golden.check(screen, named: "hexdump", styles: true)
        let narrow = render(50, 6) { s in HexDump(bytes: bytes).draw(into: &s, in: s.bounds) }
        Golden.check(narrow, named: "hexdump-narrow")
        // Repeated lines collapse into one `*`, as hexdump -C prints them.
        let zeros = [UInt8](repeating: 0, count: 64) + [1]
        let collapsed = render(80, 4) { s in HexDump(bytes: zeros).draw(into: &s, in: s.bounds) }
        let lines = collapsed.textDump().split(separator: "\n").map(String.init)
        #expect(HexDump(bytes: zeros).rowCount(width: 80) == 3)
        #expect(lines[0].hasPrefix("00000000  00 00") && lines[1] == "*" && lines[2].hasPrefix("00000040  01"))
    }

    @Test func popupOverContentWithTextField() {
        var field = TextFieldState("0x1234")
        _ = field.handle(.left)
        let screen = render(40, 9) { s in
            for y in 0..<9 { s.put(String(repeating: "background ", count: 4), at: Point(x: 0, y: y), style: .dim) }
            Popup(title: "Go to offset", size: Size(width: 30, height: 5),
                  content: TextField(state: field, prompt: "offset: "))
                .draw(into: &s, in: s.bounds)
        }
        #expect(screen.cursor == Point(x: 20, y: 3))
        Golden.check(screen, named: "popup-textfield", styles: true)
    }

    @Test func textFieldScrollsToTheCursor() {
        var field = TextFieldState("0123456789abcdef")
        var screen = render(12, 1) { s in TextField(state: field, prompt: "> ").draw(into: &s, in: s.bounds) }
        #expect(screen.textDump() == "> 789abcdef")
        #expect(screen.cursor == Point(x: 11, y: 0))
        _ = field.handle(.home)
        screen = render(12, 1) { s in TextField(state: field, prompt: "> ").draw(into: &s, in: s.bounds) }
        #expect(screen.textDump() == "> 0123456789")
        #expect(screen.cursor == Point(x: 2, y: 0))
    }

    @Test func styledLine() {
        let screen = render(20, 1) { s in
            StyledLine([("q", .bold), (" quit ", .plain), ("?", .bold), (" help and more", .plain)])
                .draw(into: &s, in: s.bounds)
        }
        Golden.check(screen, named: "styled-line", styles: true)
    }
}

@Suite struct ScrollBarTests {
    @Test func thumbCoversTheVisiblePart() {
        #expect(ScrollBar(totalRows: 100, visibleRows: 10, offset: 0).thumb(height: 10) == 0..<1)
        #expect(ScrollBar(totalRows: 100, visibleRows: 10, offset: 90).thumb(height: 10) == 9..<10)
        #expect(ScrollBar(totalRows: 20, visibleRows: 10, offset: 5).thumb(height: 10) == 3..<8)
        #expect(ScrollBar(totalRows: 5, visibleRows: 10, offset: 0).thumb(height: 10) == 0..<10)
        #expect(!ScrollBar.isNeeded(totalRows: 5, visibleRows: 5))
    }
}
