import CursesBackend
import TerminalUI

// tui-sample: a gallery of every TerminalUI widget on the real terminal, used to check the curses
// backend by hand or in tmux, and to make screenshots (scripts/xterm-screenshots.sh). Not shipped.
//
//   swift run tui-sample [--ascii] [--no-color] [--eight]
let arguments = Set(CommandLine.arguments.dropFirst())
let requested: ColorMode? = arguments.contains("--no-color") ? ColorMode.none
    : (arguments.contains("--eight") ? .eight : nil)

do {
    let terminal = try CursesTerminal(colorMode: requested)
    let glyphs: GlyphSet = terminal.isUTF8Locale && !arguments.contains("--ascii") ? .unicode : .ascii
    var gallery = Gallery(glyphs: glyphs, colorMode: terminal.colorMode)
    while !gallery.quit {
        terminal.draw(gallery.render(size: terminal.size))
        guard let event = terminal.nextEvent(timeoutMilliseconds: 1000) else { continue }
        if event == .control("l") { terminal.invalidate() }
        gallery.update(event)
    }
    terminal.stop()
    terminal.stop()  // safe twice
} catch {
    print("tui-sample: \(error)")
}
