/// What the user did: a key, a mouse action, or a terminal resize. Backends translate their raw
/// input into these so the app's update function never sees curses key codes.
public enum InputEvent: Hashable, Sendable {
    /// A printable character, or a control character (`"\u{0C}"` is Ctrl-L).
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, delete, insert, tab, backTab
    /// Function key F`n` (1…).
    case function(Int)
    case mouse(MouseEvent)
    /// The terminal now has this size; the next frame should be drawn at it.
    case resize(Size)

    /// Ctrl + a letter, as terminals deliver it (`.control("l")` is `"\u{0C}"`).
    public static func control(_ letter: Character) -> InputEvent {
        guard let ascii = letter.lowercased().first?.asciiValue, ascii >= 0x61, ascii <= 0x7A else {
            return .character(letter)
        }
        return .character(Character(Unicode.Scalar(ascii - 0x60)))
    }
}

/// A mouse action at a cell.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case press, release, wheelUp, wheelDown
    }

    public var x: Int
    public var y: Int
    public var kind: Kind
    /// 1 left, 2 middle, 3 right; 0 for wheel events or when unknown.
    public var button: Int

    public init(x: Int, y: Int, kind: Kind, button: Int = 1) {
        self.x = x
        self.y = y
        self.kind = kind
        self.button = button
    }

    public var point: Point { Point(x: x, y: y) }
}

extension InputEvent {
    /// Scripting helper for tests: every character of `text` as a `.character` event.
    public static func typing(_ text: String) -> [InputEvent] { text.map { .character($0) } }
}

extension MouseEvent: CustomStringConvertible {
    /// `press(1) at 11,0`, `wheelDown at 3,7`.
    public var description: String {
        let name = button == 0 ? "\(kind)" : "\(kind)(\(button))"
        return "\(name) at \(x),\(y)"
    }
}

extension InputEvent: CustomStringConvertible {
    /// A short name for logs and the status line: `q`, `^L`, `Enter`, `F5`, `mouse press(1) at 3,4`.
    /// Characters are shown escaped, like everything else that reaches the screen.
    public var description: String {
        switch self {
        case .character(let c):
            if let ascii = c.asciiValue, ascii < 0x20 { return "^" + String(Character(Unicode.Scalar(ascii + 0x40))) }
            return TerminalText.sanitized(String(c))
        case .function(let n): return "F\(n)"
        case .mouse(let m): return "mouse \(m)"
        case .resize(let s): return "resize \(s)"
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .insert: return "Insert"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        }
    }
}
