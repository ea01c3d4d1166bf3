/// A map as a picture, the picture btrfs-heatmap gives for btrfs: a title, one pixel (or block)
/// per group of clusters coloured by what the group holds, and a legend strip naming each colour
/// in the bitmap font. Built by ``host(_:geometry:title:)`` and ``guest(_:geometry:title:)``.
public struct MapPicture: Sendable {
    public struct LegendEntry: Hashable, Sendable {
        public var color: RGB
        public var label: String

        public init(color: RGB, label: String) {
            self.color = color
            self.label = label
        }
    }

    /// The heading's lines (the file name, then what the map shows).
    public var title: [String]
    public var geometry: MapGeometry
    /// One colour per group.
    public var colors: [RGB]
    public var legend: [LegendEntry]

    public init(title: [String], geometry: MapGeometry, colors: [RGB], legend: [LegendEntry]) {
        self.title = title
        self.geometry = geometry
        self.colors = colors
        self.legend = legend
    }

    static let margin = 8
    /// Where no group is (the end of the last row, the rest of a Hilbert square).
    static let empty = RGB(0, 0, 0)

    /// The picture: title, map and legend on the screen colours' background.
    public func raster(font: CellFont = .standard, colors screen: ScreenColors = .dark) -> Raster {
        let margin = Self.margin
        let titleCells = min(title.map(\.count).max() ?? 0, 80)
        let width = max(geometry.pixelWidth, titleCells * font.width, 32 * font.width) + 2 * margin
        let legendLines = layoutLegend(font: font, width: width - 2 * margin)
        let mapTop = mapOrigin(font: font).y
        let legendTop = mapTop + geometry.pixelHeight + margin
        let height = legendTop + (legendLines.last.map { $0.line + 1 } ?? 0) * (font.height + 2) + margin
        var raster = Raster(width: width, height: height, fill: screen.background)
        for (i, line) in title.enumerated() {
            font.draw(Self.fitted(line, cells: (width - 2 * margin) / font.width), x: margin, y: margin + i * font.height,
                      color: screen.foreground, into: &raster)
        }
        raster.fill(x: margin, y: mapTop, width: geometry.pixelWidth, height: geometry.pixelHeight, Self.empty)
        let scale = geometry.scale
        for (g, color) in colors.enumerated() where g < geometry.groups {
            let p = geometry.position(of: g)
            raster.fill(x: margin + p.x * scale, y: mapTop + p.y * scale, width: scale, height: scale, color)
        }
        for placed in legendLines {
            let y = legendTop + placed.line * (font.height + 2)
            raster.fill(x: margin + placed.x, y: y + 3, width: font.width + 3, height: font.height - 6, placed.entry.color)
            font.draw(placed.entry.label, x: margin + placed.x + font.width + 3 + font.width / 2, y: y,
                      color: screen.foreground, into: &raster)
        }
        return raster
    }

    /// The map's top-left pixel in the picture, below the title.
    public func mapOrigin(font: CellFont = .standard) -> (x: Int, y: Int) {
        (Self.margin, Self.margin + title.count * font.height + Self.margin / 2)
    }

    /// The pixel at the middle of group `g`'s block.
    public func pixel(ofGroup g: Int, font: CellFont = .standard) -> (x: Int, y: Int) {
        let origin = mapOrigin(font: font), p = geometry.position(of: g), scale = geometry.scale
        return (origin.x + p.x * scale + scale / 2, origin.y + p.y * scale + scale / 2)
    }

    /// The picture as PNG bytes.
    public func png(font: CellFont = .standard) throws(PNG.EncodeError) -> [UInt8] { try PNG.encode(raster(font: font)) }

    /// Legend entries placed left to right, wrapping at `width` pixels.
    private func layoutLegend(font: CellFont, width: Int) -> [(entry: LegendEntry, line: Int, x: Int)] {
        var placed: [(LegendEntry, Int, Int)] = []
        var line = 0, x = 0
        for entry in legend {
            let w = (entry.label.count + 3) * font.width
            if x > 0, x + w > width {
                line += 1
                x = 0
            }
            placed.append((entry, line, x))
            x += w
        }
        return placed.map { (entry: $0.0, line: $0.1, x: $0.2) }
    }

    /// `text` cut to `cells` characters with an ellipsis.
    static func fitted(_ text: String, cells: Int) -> String {
        guard text.count > cells, cells > 1 else { return text }
        return String(text.prefix(cells - 1)) + "…"
    }
}
