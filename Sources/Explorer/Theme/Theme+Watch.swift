import TerminalUI

/// How `--watch` and `w` mark what changed since the last re-scan: clusters newly allocated are
/// a bright `+` on a yellow ground in the host and guest maps (the `+` alone without colour), and
/// the status line's growth sparkline rises in eighths (ASCII: a coarser ramp).
extension Theme {
    public var newStyle: Style { Style(foreground: .indexed(16), background: .indexed(220), attributes: .bold) }
    public var newGlyph: Character { "+" }

    /// A heatmap cell holding clusters new since the last round.
    public var newCell: HeatmapCell { HeatmapCell(style: newStyle, level: 1, glyph: newGlyph) }

    /// The maps' legend entry for new clusters (shown first, only while there are some).
    public var newLegend: LegendItem { LegendItem("new since the last re-scan", style: newStyle, swatch: newGlyph) }

    /// The sparkline's marks, lowest first.
    public var sparklineRamp: [Character] {
        glyphs.isASCII ? ["_", ".", "-", "=", "*", "#"] : ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    }

    /// One character per value, from the lowest mark (0) to the highest (the largest value);
    /// all zero is all lowest.
    public func sparkline(_ values: [UInt64]) -> String {
        let ramp = sparklineRamp
        let top = values.max() ?? 0
        return String(values.map { v in
            guard top > 0, v > 0 else { return ramp[0] }
            let step = Int((Double(v) / Double(top) * Double(ramp.count - 1)).rounded(.up))
            return ramp[max(1, min(ramp.count - 1, step))]
        })
    }
}
