internal import CNCurses
import TerminalUI

/// Reading keys, mouse and resizes with `wget_wch` (so non-ASCII input arrives whole).
extension CursesTerminal {
    public func nextEvent(timeoutMilliseconds: Int?) -> InputEvent? {
        guard !isStopped else { return nil }
        let window = qs_stdscr()
        let wait = timeoutMilliseconds.map { Int32(clamping: max(0, $0)) } ?? -1
        wtimeout(window, wait)
        var code: Int32 = 0
        let rc = qs_get_wch(&code)
        if rc == qs_key_code_yes() { return keyEvent(code) }
        if rc == qs_ok() { return Self.characterEvent(code) }
        return nil
    }

    /// A character from `wget_wch` as an event: Enter, Tab, Backspace and Escape by their
    /// control codes, anything else as a character (invalid scalars are dropped).
    static func characterEvent(_ code: Int32) -> InputEvent? {
        switch code {
        case 10, 13: return .enter
        case 9: return .tab
        case 8, 127: return .backspace
        case 27: return .escape
        default:
            guard code >= 0, let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// A curses key code as an event; KEY_RESIZE updates ``size``, KEY_MOUSE reads the mouse.
    func keyEvent(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_RESIZE:
            refreshSize()
            return .resize(size)
        case KEY_MOUSE:
            var x: Int32 = 0, y: Int32 = 0, kind: Int32 = -1, button: Int32 = 0
            guard qs_get_mouse(&x, &y, &kind, &button) == qs_ok() else { return nil }
            let kinds: [MouseEvent.Kind] = [.press, .release, .wheelUp, .wheelDown]
            guard kind >= 0, Int(kind) < kinds.count else { return nil }
            return .mouse(MouseEvent(x: Int(x), y: Int(y), kind: kinds[Int(kind)], button: Int(button)))
        default:
            return Self.keyCodeEvent(code)
        }
    }

    /// Key codes that need no terminal state: arrows, paging, editing and function keys.
    static func keyCodeEvent(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME, KEY_A1: return .home
        case KEY_END, KEY_C1: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_BTAB: return .backTab
        default:
            for n in 1...24 where code == qs_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }
}
