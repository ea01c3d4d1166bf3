import Analysis
import TerminalUI

/// The marks of the host map's roles where colour cannot tell them apart (`--no-color`,
/// `NO_COLOR`, a monochrome terminal): one distinct glyph per role, in a pattern family per role
/// group, so the legend and the map read without colour (and in ASCII):
///
/// | group | glyphs |
/// |---|---|
/// | metadata | capitals: `H` header, `L` L1, `T` L2, `R` refcount table, `C` refcount block, `D` `M` `B` bitmap directory / table / data, `K` crypto header |
/// | snapshot | lower case: `s` snapshot table, `l` snapshot L1, `t` snapshot L2, `d` snapshot data |
/// | data | blocks: `█` data, `▓` data shared with snapshots, `▒` compressed (ASCII `#` `%` `=`) |
/// | free | `·` (ASCII `.`) |
/// | problem | `?` leaked, `!` conflict, `X` corrupted (stored refcount too low, wrong COPIED flag…) |
extension Theme {
    /// Whether roles are told apart by glyph rather than by colour.
    public var marksRoles: Bool { colorMode == .none }

    /// The monochrome mark of `role`.
    public func glyph(_ role: ClusterRole) -> Character {
        let ascii = glyphs.isASCII
        switch role {
        case .header: return "H"
        case .l1: return "L"
        case .l2: return "T"
        case .refcountTable: return "R"
        case .refcountBlock: return "C"
        case .bitmapDirectory: return "D"
        case .bitmapTable: return "M"
        case .bitmapData: return "B"
        case .cryptoHeader: return "K"
        case .snapshotTable: return "s"
        case .snapshotL1: return "l"
        case .snapshotL2: return "t"
        case .snapshotData: return "d"
        case .data: return ascii ? "#" : "█"
        case .dataShared: return ascii ? "%" : "▓"
        case .compressed: return ascii ? "=" : "▒"
        case .free: return ascii ? "." : "·"
        case .leaked: return "?"
        case .conflict: return "!"
        }
    }

    /// The mark of a cluster whose refcount or flags are corrupt (``HostMapSummary/corrupt``).
    public var corruptGlyph: Character { "X" }

    /// The style of corrupted clusters: the error red, bold, on a dark red ground.
    public var corruptStyle: Style { Style(foreground: .indexed(196), background: .indexed(52), attributes: .bold) }

    /// The legend swatch of `role`: its mark without colour, a full block with colour (the
    /// problem roles keep their mark, as the map draws them).
    public func swatch(_ role: ClusterRole) -> Character {
        if marksRoles || role == .conflict || role == .leaked { return glyph(role) }
        return glyphs.swatch
    }
}
