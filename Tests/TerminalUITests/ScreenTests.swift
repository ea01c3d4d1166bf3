import Testing
import TerminalUI

@Suite struct ScreenTests {
    @Test func putClipsAtEveryEdge() {
        var screen = Screen(width: 5, height: 2)
        screen.put("abcdefgh", at: Point(x: 2, y: 0))
        screen.put("xyz", at: Point(x: -2, y: 1))
        screen.put("never", at: Point(x: 0, y: 2))
        screen.put("never", at: Point(x: 0, y: -1))
        screen.put("never", at: Point(x: 5, y: 0))
        #expect(screen.textDump() == "  abc\nz")
    }

    @Test func putHonoursMaxWidthAndReportsAdvance() {
        var screen = Screen(width: 10, height: 1)
        let advanced = screen.put("abcdef", at: Point(x: 8, y: 0), maxWidth: 4)
        #expect(advanced == 4)
        #expect(screen.textDump() == "        ab")
    }

    @Test func controlWideAndZeroWidthCharactersAreEscaped() {
        var screen = Screen(width: 40, height: 1)
        screen.put("a\u{1B}[2Jb\tc\u{200B}中", at: .zero)
        #expect(screen.textDump() == "a\\x1b[2Jb\\x09c\\u{200b}\\u{4e2d}")
        #expect(TerminalText.sanitized(TerminalText.sanitized("x\u{7}")) == "x\\x07")
        #expect(TerminalText.isSingleColumn("é"))
        #expect(TerminalText.isSingleColumn("e\u{301}"))
        #expect(!TerminalText.isSingleColumn("😀"))
    }

    @Test func setStoresOnlySingleColumnCharacters() {
        var screen = Screen(width: 2, height: 1)
        screen.set(Cell("\u{1B}"), at: .zero)
        screen.set(Cell("x"), at: Point(x: 9, y: 0))
        #expect(screen[0, 0]?.character == "?")
        #expect(screen[9, 0] == nil)
    }

    @Test func fillAndRestyleStayInside() {
        var screen = Screen(width: 4, height: 3)
        screen.fill(Rect(x: 2, y: 1, width: 10, height: 10), with: Cell("#"))
        screen.restyle(Rect(x: -5, y: 2, width: 6, height: 5)) { _ in .bold }
        #expect(screen.textDump() == "\n  ##\n  ##")
        #expect(screen.styleDump() == "\n\nA\n\nA bold")
    }

    @Test func truncationAndPadding() {
        #expect(TerminalText.truncated("abcdef", width: 4) == "abc…")
        #expect(TerminalText.truncated("abcdef", width: 4, ellipsis: nil) == "abcd")
        #expect(TerminalText.padded("ab", width: 5, alignment: .right) == "   ab")
        #expect(TerminalText.padded("ab", width: 5, alignment: .center) == " ab  ")
        #expect(TerminalText.truncated("abc", width: 0) == "")
    }

    @Test func styleDumpLettersStylesInOrderOfAppearance() {
        var screen = Screen(width: 6, height: 2)
        screen.put("ab", at: .zero, style: .fg(.red))
        screen.put("cd", at: Point(x: 3, y: 0), style: .bold)
        screen.put("e", at: Point(x: 0, y: 1), style: .fg(.red))
        #expect(screen.styleDump() == "AA.BB\nA\n\nA fg=ansi(1)\nB bold")
        // Monochrome: colour alone disappears, a background becomes reverse.
        screen.put("f", at: Point(x: 5, y: 1), style: Style(background: .blue))
        #expect(screen.styleDump(mode: .none) == "...AA\n.....B\n\nA bold\nB reverse")
    }

    @Test func ansiDumpEmitsSGR() {
        var screen = Screen(width: 3, height: 1)
        screen.put("a", at: .zero, style: Style(foreground: .indexed(208), background: .brightBlue, attributes: .bold))
        screen.put("b", at: Point(x: 1, y: 0))
        #expect(screen.ansiDump() == "\u{1B}[0;1;38;5;208;104ma\u{1B}[0mb \u{1B}[0m")
        #expect(screen.ansiDump(mode: .eight) == "\u{1B}[0;1;33;44ma\u{1B}[0mb \u{1B}[0m")
    }

    @Test func absurdSizesAreBounded() {
        let screen = Screen(width: 1 << 40, height: -3)
        #expect(screen.size == Size(width: Screen.maximumExtent, height: 0))
        #expect(screen.cells.isEmpty)
    }
}

@Suite struct GeometryTests {
    @Test func splitsTileTheRectangle() {
        let rect = Rect(x: 2, y: 1, width: 10, height: 7)
        let (top, rest) = rect.splitTop(2)
        #expect(top == Rect(x: 2, y: 1, width: 10, height: 2))
        #expect(rest == Rect(x: 2, y: 3, width: 10, height: 5))
        let (body, bottom) = rect.splitBottom(20)
        #expect(body.height == 0 && bottom == rect)
        let parts = rect.splitColumns(weights: [1, 2, 0, 1])
        #expect(parts.map(\.width).reduce(0, +) == 10)
        #expect(parts.map(\.width) == [2, 5, 0, 3])
        #expect(parts[3].maxX == rect.maxX)
        #expect(rect.splitRows(weights: [1, 1]).map(\.height) == [3, 4])
    }

    @Test func insetsNeverGoNegative() {
        let rect = Rect(x: 0, y: 0, width: 3, height: 2)
        #expect(rect.inset(by: 1) == Rect(x: 1, y: 1, width: 1, height: 0))
        #expect(rect.inset(by: 5).isEmpty)
        #expect(Rect(x: 0, y: 0, width: 80, height: 24).centered(Size(width: 20, height: 5))
            == Rect(x: 30, y: 9, width: 20, height: 5))
    }

    @Test func intersection() {
        let a = Rect(x: 0, y: 0, width: 5, height: 5)
        #expect(a.intersection(Rect(x: 3, y: 4, width: 5, height: 5)) == Rect(x: 3, y: 4, width: 2, height: 1))
        #expect(a.intersection(Rect(x: 6, y: 0, width: 1, height: 1)).isEmpty)
    }
}
