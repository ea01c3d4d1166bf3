/// The editable state of a one-line input (the `g` goto prompt): text and cursor, changed by
/// ``handle(_:)``. Kept by the app; ``TextField`` draws it.
public struct TextFieldState: Hashable, Sendable {
    public private(set) var characters: [Character]
    /// Cursor position, 0…characters.count.
    public private(set) var cursor: Int
    /// Longest text accepted (typing more is ignored) — input is bounded like everything else.
    public var maximumLength: Int

    public init(_ text: String = "", maximumLength: Int = 256) {
        self.maximumLength = max(0, maximumLength)
        self.characters = Array(text.prefix(self.maximumLength))
        self.cursor = characters.count
    }

    public var text: String { String(characters) }

    /// What an event did to the field.
    public enum Outcome: Hashable, Sendable {
        case edited, moved, submitted, cancelled, ignored
    }

    /// Applies an editing key: printable characters insert, Backspace/Delete erase, arrows and
    /// Home/End (or Ctrl-A/Ctrl-E) move, Ctrl-U clears, Enter submits, Escape cancels.
    public mutating func handle(_ event: InputEvent) -> Outcome {
        switch event {
        case .enter: return .submitted
        case .escape: return .cancelled
        case .left: return move(to: cursor - 1)
        case .right: return move(to: cursor + 1)
        case .home, .character("\u{01}"): return move(to: 0)
        case .end, .character("\u{05}"): return move(to: characters.count)
        case .backspace, .character("\u{7F}"), .character("\u{08}"):
            guard cursor > 0 else { return .ignored }
            characters.remove(at: cursor - 1)
            cursor -= 1
            return .edited
        case .delete:
            guard cursor < characters.count else { return .ignored }
            characters.remove(at: cursor)
            return .edited
        case .character("\u{15}"):
            characters.removeAll()
            cursor = 0
            return .edited
        case .character(let c):
            guard characters.count < maximumLength, !(c.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) else {
                return .ignored
            }
            characters.insert(c, at: cursor)
            cursor += 1
            return .edited
        default:
            return .ignored
        }
    }

    private mutating func move(to position: Int) -> Outcome {
        let clamped = min(max(0, position), characters.count)
        guard clamped != cursor else { return .ignored }
        cursor = clamped
        return .moved
    }
}

/// Draws a ``TextFieldState`` on one row after a prompt, scrolled so the cursor is visible, and
/// places the screen's cursor there (the backend shows the real terminal cursor).
public struct TextField: Widget, Sendable {
    public var state: TextFieldState
    public var prompt: String
    public var promptStyle: Style
    public var style: Style

    public init(state: TextFieldState, prompt: String = "", promptStyle: Style = .bold, style: Style = .underline) {
        self.state = state
        self.prompt = prompt
        self.promptStyle = promptStyle
        self.style = style
    }

    public func draw(into screen: inout Screen, in rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        let line = rect.row(0)
        let used = screen.put(prompt, at: line.origin, style: promptStyle, maxWidth: line.width)
        let field = line.splitLeft(used).rest
        guard field.width > 0 else { return }
        screen.fill(field, with: Cell(" ", style: style))
        // Each character is shown sanitized, so one typed character may take several columns.
        let shown = state.characters.map { TerminalText.sanitized(String($0)) }
        let cursorColumn = shown.prefix(state.cursor).reduce(0) { $0 + $1.count }
        let total = shown.reduce(0) { $0 + $1.count }
        let scroll = max(0, min(cursorColumn - field.width + 1, total - field.width + 1))
        let visible = String(shown.joined().dropFirst(scroll).prefix(field.width))
        screen.put(visible, at: field.origin, style: style, maxWidth: field.width)
        screen.cursor = Point(x: field.x + cursorColumn - scroll, y: field.y)
    }
}
