import Analysis
import Explorer
@testable import Pictures
import TerminalUI
import Testing

/// The compiled-in font covers what the explorer draws, so a picture never shows a replacement
/// box where the terminal would show a glyph.
@Suite struct CellFontTests {
    @Test func coversTheExplorersGlyphs() {
        let font = CellFont.standard
        let g = GlyphSet.unicode
        var drawn: [Character] = [g.horizontal, g.vertical, g.topLeft, g.topRight, g.bottomLeft, g.bottomRight,
                                  g.teeRight, g.teeLeft, g.arrowUp, g.arrowDown, g.arrowLeft, g.arrowRight,
                                  g.ellipsis, g.bullet, g.swatch]
        drawn += g.eighths + g.density + Array(g.treeBranch + g.treeLast + g.treeContinue)
        let theme = Theme()
        drawn += ClusterRole.allCases.map(theme.glyph) + [theme.corruptGlyph, theme.jumpGlyph, theme.newGlyph] + theme.sparklineRamp
        // Characters the views write in their text: signs, quotes, dashes, marks.
        drawn += Array("–—‘’“”≈≠≤≥↔┬┴┼■□▪○●✓✗«»±²³×÷·é")
        let missing = drawn.filter { !font.covers($0) }
        #expect(missing.isEmpty, "the font lacks \(missing)")
        #expect((0x20...0x7E).allSatisfy { font.covers(Character(Unicode.Scalar(UInt8($0)))) })
        #expect((0xA0...0xFF).allSatisfy { font.covers(Character(Unicode.Scalar(UInt8($0)))) })
        #expect(font.width == 9 && font.height == 18)
    }

    @Test func fullBlockFillsTheCell() {
        let font = CellFont.standard
        for y in 0..<font.height {
            for x in 0..<font.width { #expect(font.pixel("█", x: x, y: y) == true) }
        }
        #expect(font.pixel("漢", x: 0, y: 0) == nil)
    }
}
