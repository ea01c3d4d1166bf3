/// Labelled horizontal bars with counts, one row per bucket (refcount values, cluster-run
/// lengths): `refcount 1 │████████████▌     │ 12034`.
///
/// A log scale keeps a rare bucket (three clusters with refcount 3) visible next to a huge one;
/// marked rows (e.g. refcount 0 that is still referenced) get `markedStyle`.
public struct Histogram: Widget, Sendable {
    public var rows: [HistogramRow]
    public var logScale: Bool
    public var barStyle: Style
    public var markedStyle: Style
    public var labelStyle: Style
    /// First row shown when there are more rows than lines.
    public var scrollOffset: Int
    public var selection: Int?
    public var glyphs: GlyphSet

    public init(rows: [HistogramRow], logScale: Bool = false, barStyle: Style = .plain,
                markedStyle: Style = Style(foreground: .red, attributes: .bold), labelStyle: Style = .plain,
                scrollOffset: Int = 0, selection: Int? = nil, glyphs: GlyphSet = .unicode) {
        self.rows = rows
        self.logScale = logScale
        self.barStyle = barStyle
        self.markedStyle = markedStyle
        self.labelStyle = labelStyle
        self.scrollOffset = scrollOffset
        self.selection = selection
        self.glyphs = glyphs
    }

    /// The largest count (0 when empty).
    public var maximum: UInt64 { rows.map(\.count).max() ?? 0 }

    /// The bar fraction of `count`: linear, or `log(1+count)/log(1+max)` on a log scale, so
    /// every non-zero count gets a visible bar.
    public func fraction(of count: UInt64) -> Double {
        let top = maximum
        guard top > 0 else { return 0 }
        if logScale { return Double(count).log1p / Double(top).log1p }
        return Double(count) / Double(top)
    }

    public func draw(into screen: inout Screen, in rect: Rect) {
        guard rect.width > 0, rect.height > 0, !rows.isEmpty else { return }
        let scrolls = ScrollBar.isNeeded(totalRows: rows.count, visibleRows: rect.height) && rect.width > 1
        let (rect, barColumn) = rect.splitRight(scrolls ? 1 : 0)
        let labelWidth = min(rows.map { TerminalText.width($0.label) }.max() ?? 0, max(1, rect.width / 3))
        let countWidth = rows.map { String($0.count).count }.max() ?? 1
        let barWidth = max(0, rect.width - labelWidth - countWidth - 4)
        let offset = Table.scrollOffset(keeping: selection, previous: scrollOffset, visibleRows: rect.height,
                                        totalRows: rows.count)
        for (line, index) in (offset..<min(rows.count, offset + rect.height)).enumerated() {
            let row = rows[index]
            let y = rect.y + line
            let selected = index == selection
            let style = row.marked ? markedStyle : row.style ?? barStyle
            var label = labelStyle
            if row.marked { label = markedStyle }
            if selected { label = label.adding(.reverse) }
            screen.put(row.label, in: Rect(x: rect.x, y: y, width: labelWidth, height: 1), style: label,
                       alignment: .right, ellipsis: glyphs.ellipsis)
            screen.put(String(glyphs.vertical), at: Point(x: rect.x + labelWidth + 1, y: y), style: .dim)
            HorizontalBar(fraction: fraction(of: row.count), style: style, glyphs: glyphs)
                .draw(into: &screen, in: Rect(x: rect.x + labelWidth + 2, y: y, width: barWidth, height: 1))
            screen.put(String(row.count), in: Rect(x: rect.maxX - countWidth, y: y, width: countWidth, height: 1),
                       style: row.marked ? markedStyle : .plain, alignment: .right)
        }
        if scrolls {
            ScrollBar(totalRows: rows.count, visibleRows: rect.height, offset: offset, glyphs: glyphs)
                .draw(into: &screen, in: barColumn)
        }
    }
}

/// One bar of a ``Histogram``.
public struct HistogramRow: Hashable, Sendable {
    public var label: String
    public var count: UInt64
    /// Drawn in the histogram's `markedStyle` (an anomaly worth the eye).
    public var marked: Bool
    /// This bar's own style (e.g. a cluster role's colour), instead of the histogram's `barStyle`.
    public var style: Style?

    public init(_ label: String, count: UInt64, marked: Bool = false, style: Style? = nil) {
        self.label = label
        self.count = count
        self.marked = marked
        self.style = style
    }
}

extension Double {
    /// `log(1 + x)` without Foundation, via the identity log1p(x) = 2·atanh(x/(x+2)) series.
    /// Accurate to ~1e-12 relative for the non-negative counts histograms use.
    var log1p: Double {
        guard self > 0 else { return 0 }
        // Reduce: log(1+x) = k·ln2 + log(m) with m in [1, 2).
        var m = 1 + self
        var k = 0.0
        while m >= 2 { m /= 2; k += 1 }
        let z = (m - 1) / (m + 1)
        let z2 = z * z
        var term = z
        var sum = 0.0
        var n = 1.0
        while n < 60 {
            sum += term / n
            term *= z2
            n += 2
        }
        return k * 0.6931471805599453 + 2 * sum
    }
}
