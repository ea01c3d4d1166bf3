internal import CNCurses
import TerminalUI

/// Curses colour pairs allocated on first use: one per (foreground, background) actually drawn,
/// up to what the terminal offers (`COLOR_PAIRS`). Pair 0 is the terminal default.
///
/// When the pairs run out, further colour combinations are drawn in pair 0 (default colours)
/// rather than recycling a pair, which would repaint cells already on screen.
struct ColorPairCache {
    private var pairs: [Key: Int32] = [:]
    private var next: Int32 = 1
    let limit: Int32

    struct Key: Hashable {
        var foreground: Int32
        var background: Int32
    }

    /// `available` is COLOR_PAIRS; pair numbers stay below it and below 32768 (the short pairs
    /// every ncurses build supports).
    init(available: Int32) {
        limit = max(1, min(available, 32768))
    }

    /// The pair for curses colour numbers (−1 = default), allocating it if needed.
    mutating func pair(foreground: Int32, background: Int32) -> Int32 {
        if foreground < 0 && background < 0 { return 0 }
        let key = Key(foreground: foreground, background: background)
        if let pair = pairs[key] { return pair }
        guard next < limit, qs_init_pair(next, foreground, background) != qs_err() else { return 0 }
        pairs[key] = next
        next += 1
        return next - 1
    }

    var allocated: Int { pairs.count }
}
