/// A key to colours: swatch-and-label items (`█ header  █ L1  ░ free`) that wrap onto as many
/// lines as the rectangle allows. ``height(forWidth:)`` tells a layout how many rows to reserve.
public struct Legend: Widget, Sendable {
    public var items: [LegendItem]
    public var labelStyle: Style
    /// Blank columns between items.
    public var spacing: Int

    public init(items: [LegendItem], labelStyle: Style = .plain, spacing: Int = 2) {
        self.items = items
        self.labelStyle = labelStyle
        self.spacing = max(0, spacing)
    }

    /// Item positions (row, column) when wrapped to `width`.
    func placements(width: Int) -> [(row: Int, column: Int)] {
        var result: [(row: Int, column: Int)] = []
        var row = 0, column = 0
        for item in items {
            let w = item.width
            if column > 0, column + w > width {
                row += 1
                column = 0
            }
            result.append((row, column))
            column += w + spacing
        }
        return result
    }

    /// Rows needed to show every item at `width` columns.
    public func height(forWidth width: Int) -> Int {
        guard width > 0, !items.isEmpty else { return 0 }
        return (placements(width: width).last?.row ?? 0) + 1
    }

    public func draw(into screen: inout Screen, in rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        for (item, place) in zip(items, placements(width: rect.width)) where place.row < rect.height {
            let origin = Point(x: rect.x + place.column, y: rect.y + place.row)
            let room = rect.width - place.column
            let used = screen.put(String(item.swatch), at: origin, style: item.style, maxWidth: room)
            screen.put(" " + item.label, at: origin.offset(dx: used), style: labelStyle, maxWidth: room - used)
        }
    }
}

/// One entry of a ``Legend``: a swatch glyph in the role's style, and a label.
public struct LegendItem: Hashable, Sendable {
    public var swatch: Character
    public var style: Style
    public var label: String

    public init(_ label: String, style: Style, swatch: Character = "█") {
        self.label = label
        self.style = style
        self.swatch = swatch
    }

    /// Columns taken: swatch, space, label.
    var width: Int { 2 + TerminalText.width(label) }
}
