import Testing
@testable import TerminalUI

@Suite struct ColorModeTests {
    @Test(arguments: [
        (Color.indexed(196), Color.ansi(1)),  // red
        (.indexed(208), .ansi(3)),  // orange → yellow
        (.indexed(21), .ansi(4)),  // blue
        (.indexed(17), .ansi(4)),  // dark blue stays blue, not black
        (.indexed(135), .ansi(5)),  // violet → magenta
        (.indexed(51), .ansi(6)),  // cyan
        (.indexed(232), .ansi(0)),  // near-black grey
        (.indexed(250), .ansi(7)),  // light grey
        (.rgb(0, 200, 0), .ansi(2)),
        (.ansi(4), .ansi(4)),
    ])
    func eightColourMapping(requested: Color, shown: Color) {
        #expect(ColorMode.eight.resolve(.fg(requested)).foreground == shown)
    }

    @Test func brightColoursBecomeBoldOnEightColours() {
        let style = ColorMode.eight.resolve(Style(foreground: .brightRed, background: .brightBlue))
        #expect(style == Style(foreground: .red, background: .blue, attributes: .bold))
    }

    @Test func fullModeMapsTrueColourToThePalette() {
        #expect(ColorMode.full256.resolve(.fg(.rgb(255, 135, 0))).foreground == .indexed(208))
        #expect(ColorMode.full256.resolve(.fg(.rgb(128, 128, 128))).foreground == .indexed(244))
        #expect(ColorMode.full256.resolve(.fg(.indexed(99))).foreground == .indexed(99))
    }

    @Test func monochromeKeepsAttributesAndReversesBackgrounds() {
        #expect(ColorMode.none.resolve(Style(foreground: .red, attributes: .bold)) == .bold)
        #expect(ColorMode.none.resolve(Style(foreground: .white, background: .blue)) == .reverse)
        #expect(ColorMode.none.resolve(.plain) == .plain)
    }

    @Test func paletteRoundTripsCubeEntries() {
        for index in 16..<256 {
            let (r, g, b) = Palette.rgb(index)
            let back = Palette.nearestIndex(r: UInt8(r), g: UInt8(g), b: UInt8(b))
            #expect(Palette.rgb(back) == Palette.rgb(index) || Palette.distance(Palette.rgb(back), (r, g, b)) == 0)
        }
    }

    @Test func densityGlyphs() {
        #expect(GlyphSet.unicode.densityGlyph(0) == " ")
        #expect(GlyphSet.unicode.densityGlyph(0.001) == "░")
        #expect(GlyphSet.unicode.densityGlyph(0.5) == "▒")
        #expect(GlyphSet.unicode.densityGlyph(1) == "█")
        #expect(GlyphSet.unicode.densityGlyph(.nan) == " ")
        #expect(GlyphSet.ascii.densityGlyph(1) == "@")
        #expect(GlyphSet.ascii.densityGlyph(0.01) == ".")
    }
}
