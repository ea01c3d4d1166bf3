import TerminalUI

/// A screen as SVG text cells: selectable, searchable text for documentation, in the same cell
/// geometry and colours as the PNG.
extension Screen {
    /// The screen as an SVG document: the default background, one `rect` per run of cells with
    /// another background on a row, and one `text` per run of cells with the same look (its
    /// `textLength` pins it to the cells whatever monospace font the viewer picks). Cell text is
    /// XML-escaped; characters XML cannot carry become U+FFFD.
    public func svg(cellWidth: Int = CellFont.standard.width, cellHeight: Int = CellFont.standard.height,
                    colors: ScreenColors = .dark) -> String {
        let w = width * cellWidth, h = height * cellHeight
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" \
            font-family="DejaVu Sans Mono, monospace" font-size="\(cellHeight * 5 / 6)" xml:space="preserve">
            <rect width="\(w)" height="\(h)" fill="\(colors.background.hex)"/>

            """
        for y in 0..<height {
            let cells = Array(row(y))
            let looks = cells.map { colors.resolve($0.style) }
            // Backgrounds: runs of one colour other than the default.
            var x = 0
            while x < cells.count {
                var end = x + 1
                while end < cells.count, looks[end].background == looks[x].background { end += 1 }
                if looks[x].background != colors.background {
                    out += "<rect x=\"\(x * cellWidth)\" y=\"\(y * cellHeight)\" width=\"\((end - x) * cellWidth)\" "
                        + "height=\"\(cellHeight)\" fill=\"\(looks[x].background.hex)\"/>\n"
                }
                x = end
            }
            // Text: runs of one foreground and attributes, skipped when blank and not underlined.
            x = 0
            while x < cells.count {
                let attributes = cells[x].style.attributes
                var end = x + 1
                while end < cells.count, looks[end].foreground == looks[x].foreground,
                      cells[end].style.attributes == attributes { end += 1 }
                let text = String(cells[x..<end].map(\.character))
                if attributes.contains(.underline) || text.contains(where: { $0 != " " }) {
                    var extra = ""
                    if attributes.contains(.bold) { extra += " font-weight=\"bold\"" }
                    if attributes.contains(.underline) { extra += " text-decoration=\"underline\"" }
                    out += "<text x=\"\(x * cellWidth)\" y=\"\(y * cellHeight + cellHeight * 4 / 5)\" "
                        + "textLength=\"\((end - x) * cellWidth)\" lengthAdjust=\"spacingAndGlyphs\" "
                        + "fill=\"\(looks[x].foreground.hex)\"\(extra)>\(Self.xmlEscaped(text))</text>\n"
                }
                x = end
            }
        }
        return out + "</svg>\n"
    }

    /// `text` safe inside an XML element: markup characters as entities, and characters XML 1.0
    /// forbids (controls, surrogates, U+FFFE/U+FFFF) replaced.
    static func xmlEscaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                let v = scalar.value
                let allowed = v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v)
                    || (0xE000...0xFFFD).contains(v) || v >= 0x10000
                out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return out
    }
}
