import Analysis
import TerminalUI

/// Colours and marks of the guest map's volume layer (`v`) and the Volumes view's bars: in use
/// is the data green, reclaimable a bright orange that stands out of it (the picture is there to
/// show it), free and unallocated the "nothing here" grey, outside volumes a slate, not analysed
/// a muted violet.
///
/// Without colour (and in ASCII) each kind has its own mark, after the host map's families: a
/// full block for in use (`#`), a shade for reclaimable (`%` in ASCII), the free dot, `-` outside
/// volumes and `?` not analysed.
extension Theme {
    public func color(_ kind: GuestLayerKind) -> Color {
        switch kind {
        case .inUse: .indexed(34)
        case .freeAllocated: .indexed(208)
        case .freeUnallocated: .indexed(238)
        case .outsideVolumes: .indexed(67)
        case .notAnalysed: .indexed(97)
        }
    }

    public func style(_ kind: GuestLayerKind) -> Style {
        kind == .freeAllocated ? Style(foreground: color(kind), attributes: .bold) : Style.fg(color(kind))
    }

    /// The mark of `kind` on the map and in the legend without colour.
    public func glyph(_ kind: GuestLayerKind) -> Character {
        let ascii = glyphs.isASCII
        switch kind {
        case .inUse: return ascii ? "#" : "█"
        case .freeAllocated: return ascii ? "%" : "▒"
        case .freeUnallocated: return ascii ? "." : "·"
        case .outsideVolumes: return "-"
        case .notAnalysed: return "?"
        }
    }

    /// A map cell of the layer: with colour, a block in the kind's colour (free space a light
    /// shade); without, the kind's mark.
    public func layerCell(_ kind: GuestLayerKind) -> HeatmapCell {
        if marksRoles { return HeatmapCell(style: style(kind), level: 1, glyph: glyph(kind)) }
        return HeatmapCell(style: style(kind), level: kind == .freeUnallocated ? 0.25 : 1)
    }

    /// The legend swatch of `kind`.
    public func swatch(_ kind: GuestLayerKind) -> Character { marksRoles ? glyph(kind) : glyphs.swatch }
}

extension GuestLayerKind {
    /// The legend and panel name.
    public var label: String {
        switch self {
        case .inUse: "in use"
        case .freeAllocated: "free, allocated (reclaimable)"
        case .freeUnallocated: "free, unallocated"
        case .outsideVolumes: "outside volumes"
        case .notAnalysed: "not analysed"
        }
    }

    /// A shorter name, for the panel's counts.
    public var shortLabel: String {
        switch self {
        case .inUse: "in use"
        case .freeAllocated: "reclaimable"
        case .freeUnallocated: "free"
        case .outsideVolumes: "outside"
        case .notAnalysed: "not read"
        }
    }
}
