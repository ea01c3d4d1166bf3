/// One cell of a ``Screen``: a character that occupies exactly one column, and its style.
///
/// ``Screen`` only stores characters that ``TerminalText/isSingleColumn(_:)`` accepts, so a cell
/// always lines up with one terminal column.
public struct Cell: Hashable, Sendable {
    public var character: Character
    public var style: Style

    public init(_ character: Character = " ", style: Style = .plain) {
        self.character = character
        self.style = style
    }

    /// A blank cell in the plain style.
    public static let blank = Cell()
}
