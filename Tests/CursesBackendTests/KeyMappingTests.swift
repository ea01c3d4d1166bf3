import Testing
import TerminalUI
@testable import CursesBackend

/// Key translation is pure (no terminal needed); starting curses itself is checked in tmux with
/// tui-sample (see Screenshots/README.md).
@Suite struct KeyMappingTests {
    @Test(arguments: [(Int32(10), InputEvent.enter), (13, .enter), (9, .tab), (127, .backspace), (8, .backspace),
                      (27, .escape), (0x71, .character("q")), (0xE9, .character("é")), (0x4E2D, .character("中"))])
    func characters(code: Int32, event: InputEvent) {
        #expect(CursesTerminal.characterEvent(code) == event)
    }

    @Test func invalidScalarsAreDropped() {
        #expect(CursesTerminal.characterEvent(0xD800) == nil)
        #expect(CursesTerminal.characterEvent(-1) == nil)
    }

    @Test func keyCodes() {
        // ncurses' key codes (curses.h): KEY_DOWN 0402, KEY_UP 0403, KEY_NPAGE 0522, KEY_PPAGE 0523,
        // KEY_BTAB 0541, KEY_F0 0410.
        #expect(CursesTerminal.keyCodeEvent(0o402) == .down)
        #expect(CursesTerminal.keyCodeEvent(0o403) == .up)
        #expect(CursesTerminal.keyCodeEvent(0o522) == .pageDown)
        #expect(CursesTerminal.keyCodeEvent(0o523) == .pageUp)
        #expect(CursesTerminal.keyCodeEvent(0o541) == .backTab)
        #expect(CursesTerminal.keyCodeEvent(0o410 + 5) == .function(5))
        #expect(CursesTerminal.keyCodeEvent(0o777) == nil)
    }

    @Test func colourOverridesOnlyLower() {
        #expect(CursesTerminal.capped(.full256, by: .eight) == .eight)
        #expect(CursesTerminal.capped(.none, by: .full256) == ColorMode.none)
        #expect(CursesTerminal.capped(.eight, by: .full256) == .eight)
    }

    @Test func errorsExplainThemselves() {
        #expect(CursesError.unknownTerminal("vt999").description.contains("vt999"))
        #expect(CursesError.notATerminal.description.contains("terminal"))
    }
}
