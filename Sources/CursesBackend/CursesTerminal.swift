internal import CNCurses
import Glibc
import TerminalUI

/// The real terminal, through ncursesw: the one ``TerminalBackend`` the app runs on.
///
/// Start-up follows the safe path: `setlocale(LC_ALL, "")` (wide characters need it), `newterm`
/// instead of `initscr` (which exits the process on failure), cbreak/noecho/keypad/nonl, a
/// 25 ms escape delay so Escape feels immediate, mouse buttons and wheel, default colours. The
/// terminal is restored by ``stop()``, by `deinit`, at `exit()` and on SIGINT/SIGTERM/SIGHUP.
public final class CursesTerminal: TerminalBackend {
    public private(set) var size: Size
    public let colorMode: ColorMode
    /// Whether the locale's character set is UTF-8; when false use `GlyphSet.ascii`.
    public let isUTF8Locale: Bool
    /// The colour depth the terminal itself reports, before any override.
    public let detectedColorMode: ColorMode

    private var screenPointer: OpaquePointer?
    private var stopped = false
    var pairs: ColorPairCache
    /// The last frame shown, to skip unchanged rows; nil forces a full redraw.
    var previous: Screen?
    var cursorVisible = false

    /// Takes over the terminal. `colorMode` caps the colours used (pass `.none` for `--no-color`
    /// or when NO_COLOR is set); nil uses what the terminal supports.
    /// - Throws: ``CursesError`` when stdin/stdout is not a terminal or TERM is unusable.
    public init(colorMode requested: ColorMode? = nil) throws {
        isUTF8Locale = Self.detectUTF8Locale()
        guard qs_stdin_stdout_are_ttys() != 0 else { throw CursesError.notATerminal }
        qs_install_restore_handlers()
        guard let screen = qs_newterm() else {
            throw CursesError.unknownTerminal(getenv("TERM").map { String(cString: $0) } ?? "(unset)")
        }
        screenPointer = screen
        qs_set_active(1)
        _ = cbreak()
        _ = noecho()
        _ = nonl()
        _ = keypad(qs_stdscr(), true)
        _ = set_escdelay(25)
        _ = mousemask(qs_mouse_buttons_and_wheel(), nil)
        _ = mouseinterval(0)
        _ = curs_set(0)

        var detected = ColorMode.none
        if has_colors() {
            _ = start_color()
            _ = use_default_colors()
            detected = qs_colors() >= 256 ? .full256 : (qs_colors() >= 8 ? .eight : .none)
        }
        detectedColorMode = detected
        colorMode = Self.capped(requested ?? detected, by: detected)
        pairs = ColorPairCache(available: Int32(qs_color_pairs()))
        size = Size(width: Int(qs_getmaxx(qs_stdscr())), height: Int(qs_getmaxy(qs_stdscr())))
    }

    deinit { stop() }

    /// Gives the terminal back (endwin). Safe to call more than once; drawing after it is ignored.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        if qs_is_active() != 0 {
            qs_set_active(0)
            _ = endwin()
        }
        if let screenPointer { delscreen(screenPointer) }
        screenPointer = nil
    }

    public var isStopped: Bool { stopped }

    /// Sets the locale from the environment and reports whether its codeset is UTF-8. The app
    /// may call this before starting curses to choose `GlyphSet.unicode` or `.ascii`.
    public static func detectUTF8Locale() -> Bool {
        _ = qs_setlocale_from_environment()
        return qs_codeset_is_utf8() != 0
    }

    /// The lesser of two colour modes (an override can lower colours, never raise them).
    static func capped(_ requested: ColorMode, by available: ColorMode) -> ColorMode {
        let order: [ColorMode] = [.none, .eight, .full256]
        let r = order.firstIndex(of: requested) ?? 0
        let a = order.firstIndex(of: available) ?? 0
        return order[min(r, a)]
    }

    /// Re-reads the terminal size (after KEY_RESIZE) and forgets the last frame.
    func refreshSize() {
        size = Size(width: Int(qs_getmaxx(qs_stdscr())), height: Int(qs_getmaxy(qs_stdscr())))
        previous = nil
    }
}
