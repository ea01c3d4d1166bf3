import TerminalUI

/// The keys every screen shares, listed in the help overlay (htop and ncdu conventions).
public enum KeyBindings {
    public static let global: [KeyHint] = [
        KeyHint(ViewID.keyRange, "jump to a view"),
        KeyHint("Tab/S-Tab", "next / previous view"),
        KeyHint("↑↓←→ hjkl", "move"),
        KeyHint("PgUp/PgDn", "page"),
        KeyHint("Home/End", "first / last"),
        KeyHint("Enter", "open (drill down)"),
        KeyHint("Esc/Bksp", "back"),
        KeyHint("g", "go to an offset (0x…, 64K, 1.5G), a cluster (#12), host … / guest … (switches view)"),
        KeyHint("w", "watch: re-scan every few seconds, new clusters highlighted, growth in the status line"),
        KeyHint("?", "this help"),
        KeyHint("q", "quit"),
        KeyHint("mouse", "click selects, wheel scrolls"),
    ]

    /// The hints on the status bar (kept short; the rest is in `?`).
    public static let status: [KeyHint] = [KeyHint("g", "go to")]
    /// The hints the status bar never drops, at any width.
    public static let pinned: [KeyHint] = [KeyHint("?", "help"), KeyHint("q", "quit")]
}
