import Analysis
import TerminalUI

/// Colours of the guest map's cluster kinds. Data keeps the host map's green so the two maps
/// read alike; zero is a pale slate, unallocated the host map's "free" grey; each backing depth
/// gets its own hue (cycling after six) so a chain's layers stay apart; mixed is gold and
/// invalid the error red.
extension Theme {
    public func color(_ kind: GuestClusterKind) -> Color {
        switch kind {
        case .data: .indexed(34)
        case .compressed: .indexed(150)
        case .zero: .indexed(103)
        case .unallocated: .indexed(236)
        case .backing(let depth): Self.backingShades[(max(depth, 1) - 1) % Self.backingShades.count]
        case .mixed: .indexed(178)
        case .invalid: .indexed(196)
        }
    }

    static let backingShades: [Color] = [.indexed(75), .indexed(141), .indexed(180), .indexed(175), .indexed(109), .indexed(222)]

    /// The monochrome mark of `kind` (as ``glyph(_:)-swift.method`` for host roles): data keeps
    /// its density shades (`░▒▓█`), `%` compressed, `0` zero, the backing depth's digit, `~`
    /// mixed, `!` invalid, `·` unallocated in the legend (blank on the map).
    public func glyph(_ kind: GuestClusterKind) -> Character {
        let ascii = glyphs.isASCII
        switch kind {
        case .data: return ascii ? "#" : "█"
        case .compressed: return "%"
        case .zero: return "0"
        case .unallocated: return ascii ? "." : "·"
        case .backing(let depth): return depth >= 1 && depth <= 9 ? Character(String(depth)) : "+"
        case .mixed: return "~"
        case .invalid: return "!"
        }
    }

    public func style(_ kind: GuestClusterKind) -> Style {
        kind == .invalid ? Style(foreground: color(kind), attributes: .bold) : Style.fg(color(kind))
    }

    /// The mark of a cell where a sequential read jumps in the host file (fragmentation overlay).
    public var jumpGlyph: Character { glyphs.hasPartialBlocks ? "╳" : "x" }
    /// The background of such a cell (dropped without colour; the glyph still shows it).
    public var jumpBackground: Color { .indexed(52) }
}

extension GuestClusterKind {
    /// The legend and panel name.
    public var label: String {
        switch self {
        case .data: "data"
        case .compressed: "compressed"
        case .zero: "zero"
        case .unallocated: "unallocated"
        case .backing(let depth): "backing \(depth)"
        case .mixed: "mixed"
        case .invalid: "invalid"
        }
    }
}

extension GuestClusterCounts {
    /// Every kind with a non-zero count, in legend order (data, compressed, zero, backing by
    /// depth, mixed, unallocated, invalid).
    public var present: [(kind: GuestClusterKind, count: UInt64)] {
        var out: [(GuestClusterKind, UInt64)] = [(.data, data), (.compressed, compressed), (.zero, zero)]
        for (i, n) in backing.enumerated() { out.append((.backing(depth: i + 1), n)) }
        out += [(.mixed, mixed), (.unallocated, unallocated), (.invalid, invalid)]
        return out.filter { $0.1 > 0 }.map { (kind: $0.0, count: $0.1) }
    }

    /// The kind a cell is coloured by: the most common kind other than unallocated, so a few
    /// data clusters in a mostly empty cell still show (density tells how few); unallocated only
    /// when the cell holds nothing else.
    public var shown: GuestClusterKind {
        // No arrays: this runs for every cell of every frame.
        var best = GuestClusterKind.unallocated
        var most: UInt64 = 0
        func consider(_ kind: GuestClusterKind, _ n: UInt64) {
            if n > most { best = kind; most = n }
        }
        consider(.data, data)
        consider(.compressed, compressed)
        consider(.zero, zero)
        for (i, n) in backing.enumerated() { consider(.backing(depth: i + 1), n) }
        consider(.mixed, mixed)
        consider(.invalid, invalid)
        return best
    }

    /// Clusters that read as something other than "nothing anywhere" (the cell's density).
    public var fill: Double {
        let t = total
        return t == 0 ? 0 : Double(t - unallocated) / Double(t)
    }
}
