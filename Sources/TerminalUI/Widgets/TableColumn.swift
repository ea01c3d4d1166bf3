/// A column of a ``Table``: its header title, how wide it is, and how its cells align.
public struct TableColumn: Hashable, Sendable {
    /// How a column's width is chosen.
    public enum Width: Hashable, Sendable {
        /// Exactly this many columns (less when the table is narrower).
        case fixed(Int)
        /// At least `minimum`, then a share of what is left in proportion to `weight`.
        case flexible(minimum: Int, weight: Int)
    }

    public var title: String
    public var width: Width
    public var alignment: Alignment

    public init(_ title: String, width: Width = .flexible(minimum: 4, weight: 1), alignment: Alignment = .left) {
        self.title = title
        self.width = width
        self.alignment = alignment
    }
}

/// One cell of a ``Table``: text and an optional style laid over the row's style.
public struct TableCell: Hashable, Sendable, ExpressibleByStringLiteral {
    public var text: String
    public var style: Style?

    public init(_ text: String, style: Style? = nil) {
        self.text = text
        self.style = style
    }

    public init(stringLiteral value: String) { self.init(value) }
}

/// One row of a ``Table``.
public struct TableRow: Hashable, Sendable {
    public var cells: [TableCell]
    /// The style of the whole row (a finding's severity colour, a dimmed unused field).
    public var style: Style

    public init(_ cells: [TableCell], style: Style = .plain) {
        self.cells = cells
        self.style = style
    }

    /// A row of plain strings.
    public init(texts: [String], style: Style = .plain) {
        self.init(texts.map { TableCell($0) }, style: style)
    }
}
