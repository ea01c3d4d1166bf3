/// Labelled values, one a row — the side panels and detail boxes of the explorer ("offset  0x1000").
///
/// Labels sit in a fixed-width column so the values line up; a row without a label spans the
/// whole width, for a section title or a blank separator. Rows past the rectangle are cut.
public struct FieldList: Widget, Sendable {
    public struct Row: Sendable {
        /// Nil for a full-width row (a section title, or a blank line when the value is empty).
        public var label: String?
        public var value: String
        public var style: Style

        public init(_ label: String?, _ value: String, _ style: Style) {
            self.label = label
            self.value = value
            self.style = style
        }
    }

    public var rows: [Row]
    public var labelWidth: Int
    public var labelStyle: Style

    public init(_ rows: [Row], labelWidth: Int, labelStyle: Style) {
        self.rows = rows
        self.labelWidth = labelWidth
        self.labelStyle = labelStyle
    }

    /// Rows given as (label, value, style) tuples, the shape the view models build.
    public init(_ rows: [(label: String?, value: String, style: Style)], labelWidth: Int, labelStyle: Style) {
        self.init(rows.map { Row($0.label, $0.value, $0.style) }, labelWidth: labelWidth, labelStyle: labelStyle)
    }

    public func draw(into screen: inout Screen, in rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        for (y, line) in rows.prefix(rect.height).enumerated() {
            let row = rect.row(y)
            guard let label = line.label else {
                screen.put(line.value, in: row, style: line.style)
                continue
            }
            let (left, right) = row.splitLeft(labelWidth)
            screen.put(label, in: left, style: labelStyle)
            screen.put(line.value, in: right, style: line.style)
        }
    }
}
