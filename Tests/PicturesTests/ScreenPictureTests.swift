import Foundation
@testable import Pictures
import TerminalUI
import TestSupport
import Testing

/// Screens as PNG and SVG: pixels against a golden, bytes the same twice, and other readers
/// (python3's zlib, ImageMagick, an XML parser) accepting what we write.
@Suite struct ScreenPictureTests {
    /// A small screen with every look the renderer handles: colours, default colours, bold, dim,
    /// reverse, underline, box drawing, blocks and shades, a glyph the font lacks, markup
    /// characters for the SVG.
    static func sample() -> Screen {
        var screen = Screen(width: 16, height: 4)
        screen.put("┌─ Ab <&> ─┐", at: Point(x: 0, y: 0), style: .fg(.indexed(81), .bold))
        screen.put("█▓▒░·•…", at: Point(x: 0, y: 1), style: .fg(.indexed(34)))
        screen.put("Ж", at: Point(x: 8, y: 1), style: .fg(.indexed(196)))
        screen.put(" sel ", at: Point(x: 0, y: 2), style: Style(foreground: .indexed(16), background: .indexed(117)))
        screen.put("dim", at: Point(x: 6, y: 2), style: .dim)
        screen.put("rev", at: Point(x: 10, y: 2), style: .reverse)
        screen.put("under", at: Point(x: 0, y: 3), style: .underline)
        screen.put("é±", at: Point(x: 8, y: 3), style: .fg(.rgb(250, 120, 0)))
        return screen
    }

    @Test func pngPixelsMatchTheGolden() throws {
        let png = try Self.sample().png()
        let decoded = try PNGReader(png)
        #expect(decoded.width == 16 * 9 && decoded.height == 4 * 18)
        #expect(decoded.chunkTypes == ["IHDR", "IDAT", "IEND"])
        let difference = try PictureTools.compareWithGolden(png, "sample-screen.png")
        #expect(difference == nil, "\(difference ?? "")")
    }

    @Test func cellsHaveTheirColours() throws {
        let decoded = try PNGReader(Self.sample().png())
        let colors = ScreenColors.dark
        // The selection cell's background everywhere in its cell but where the glyph is.
        #expect(decoded[0, 2 * 18] == RGB(.indexed(117)))
        // A full block fills its cell in the foreground colour.
        #expect(decoded[4, 18 + 9] == RGB(.indexed(34)))
        // A blank default cell is the default background.
        #expect(decoded[15 * 9 + 4, 3 * 18 + 4] == colors.background)
        // Underline: the second-lowest row of the cell.
        #expect(decoded[2, 3 * 18 + 16] == colors.foreground)
        // The missing glyph is a box: its left edge is lit half way down.
        #expect(decoded[8 * 9 + 1, 18 + 9] == RGB(.indexed(196)))
    }

    @Test func theSameScreenGivesTheSameBytes() throws {
        #expect(try Self.sample().png() == Self.sample().png())
        #expect(Self.sample().svg() == Self.sample().svg())
    }

    @Test func python3DecodesTheSamePixels() throws {
        guard Tools.find("python3") != nil else { return }
        let png = try Self.sample().png()
        let dir = try Tools.temporaryDirectory("qcowscope-pictures")
        let path = dir + "/sample.png"
        try Data(png).write(to: URL(fileURLWithPath: path))
        // An independent reader: zlib's inflate through Python, the CRCs through binascii.
        let script = """
            import sys, zlib, struct, binascii, hashlib
            d = open(sys.argv[1], 'rb').read(); assert d[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
            at, idat = 8, b''
            while at < len(d):
                n, t = struct.unpack('>I4s', d[at:at+8]); body = d[at+4:at+8+n]
                assert binascii.crc32(body) == struct.unpack('>I', d[at+8+n:at+12+n])[0], t
                if t == b'IHDR': w, h = struct.unpack('>II', body[4:12])
                if t == b'IDAT': idat += body[4:]
                at += 12 + n
            raw = zlib.decompress(idat); s = w * 3
            assert all(raw[y * (s + 1)] == 0 for y in range(h))
            px = b''.join(raw[y * (s + 1) + 1:(y + 1) * (s + 1)] for y in range(h))
            print(w, h, hashlib.sha256(px).hexdigest())
            """
        let result = try PictureTools.run("python3", ["-c", script, path])
        let decoded = try PNGReader(png)
        let digest = try PictureTools.run("python3", ["-c", "import sys,hashlib;print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())", try writeRaw(decoded.pixels, dir)])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText == "\(decoded.width) \(decoded.height) \(digest.stdoutText)")
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func writeRaw(_ pixels: [UInt8], _ dir: String) throws -> String {
        let path = dir + "/pixels.raw"
        try Data(pixels).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func imageMagickAcceptsThePNG() throws {
        guard Tools.find("identify") != nil else { return }
        let dir = try Tools.temporaryDirectory("qcowscope-pictures")
        let path = dir + "/sample.png"
        try Data(Self.sample().png()).write(to: URL(fileURLWithPath: path))
        let result = try PictureTools.run("identify", ["-regard-warnings", "-format", "%m %w %h %[type]", path])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText.hasPrefix("PNG 144 72"))
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test func svgIsWellFormedAndEscaped() throws {
        let svg = Self.sample().svg()
        #expect(svg.contains("&lt;&amp;&gt;"))
        #expect(svg.contains("fill=\"\((RGB(.indexed(117))?.hex ?? ""))\""))
        #expect(Screen.xmlEscaped("a\u{1}b") == "a\u{FFFD}b")
        guard Tools.find("python3") != nil else { return }
        let dir = try Tools.temporaryDirectory("qcowscope-pictures")
        let path = dir + "/sample.svg"
        try svg.write(toFile: path, atomically: false, encoding: .utf8)
        let script = """
            import sys, xml.etree.ElementTree as ET
            root = ET.parse(sys.argv[1]).getroot()
            ns = '{http://www.w3.org/2000/svg}'
            print(root.tag == ns + 'svg', root.get('width'), root.get('height'),
                  ''.join(t.text for t in root.iter(ns + 'text') if '<' in (t.text or '')))
            """
        let result = try PictureTools.run("python3", ["-c", script, path])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText == "True 144 72 ┌─ Ab <&> ─┐\n")
        try? FileManager.default.removeItem(atPath: dir)
    }
}
