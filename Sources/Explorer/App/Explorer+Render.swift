import TerminalUI

extension Explorer {
    /// Draws one whole frame: tab bar, the screen in front, progress line while scanning, status
    /// bar, and the overlay on top.
    public static func render(_ state: AppState, _ data: ExplorerData, size: Size, theme: Theme) -> TerminalUI.Screen {
        var screen = TerminalUI.Screen(size: size)
        // ASCII glyphs mean an ASCII terminal: the views' punctuation is turned into ASCII too.
        screen.asciiOnly = theme.glyphs.isASCII
        guard size.width > 0, size.height > 0 else { return screen }
        let full = screen.bounds
        var bar = tabBar(state)
        bar.style = theme.chrome
        bar.activeStyle = Style(foreground: .indexed(16), background: .indexed(222), attributes: .bold)
        bar.numberStyle = theme.chrome
        screen.draw(bar, in: full.row(0))

        let front = screenType(state.front)
        let body = body(of: size, scanning: data.hasFooterLine)
        front.draw(state, data, theme: theme, into: &screen, in: body)

        if data.isScanning, size.height > 3 {
            let line = full.row(size.height - 2)
            screen.draw(ProgressBar(fraction: data.progress, label: "scanning: \(data.phase)",
                                    fillStyle: Style(foreground: .indexed(16), background: .indexed(110))), in: line)
        } else if let watch = data.watch, size.height > 3 {
            screen.put(watch.line, in: full.row(size.height - 2).inset(left: 1, right: 1),
                       style: watch.error == nil ? theme.accent : theme.warning)
        }
        // A message too long for the status bar is shown whole, wrapped, just above it.
        var message = state.message
        if let text = message, TerminalText.width(text) > size.width / 2, size.height > 4 {
            drawMessage(text, theme: theme, into: &screen)
            message = nil
        }
        let position = message ?? front.position(state, data)
        // The screen's own keys first; a global key the screen already explains (its `g`) once.
        let own = front.hints.prefix(3)
        // `g` is offered only where the screen has positions to go to.
        let global = KeyBindings.status.filter { key in
            !own.contains { $0.key == key.key } && (key.key != "g" || front.positions != nil)
        }
        let status = StatusBar(left: position, right: statusRight(state, data, theme: theme), hints: own + global,
                               pinned: KeyBindings.pinned, style: theme.chrome, keyStyle: theme.chromeKey)
        screen.draw(status, in: full.row(size.height - 1))
        drawOverlay(state, front, theme: theme, into: &screen)
        return screen
    }

    /// `text` wrapped on as many rows as it needs (at most a third of the screen) right above
    /// the status bar, in the status bar's colours.
    static func drawMessage(_ text: String, theme: Theme, into screen: inout TerminalUI.Screen) {
        let width = max(1, screen.width - 2)
        let lines = Array(Paragraph.wrap(text, width: width).prefix(max(1, screen.height / 3)))
        let top = screen.height - 1 - lines.count
        for (k, line) in lines.enumerated() {
            let row = Rect(x: 0, y: top + k, width: screen.width, height: 1)
            screen.fill(row, with: Cell(" ", style: theme.chrome))
            screen.put(line, in: row.inset(left: 1, right: 1), style: theme.chrome)
        }
    }

    /// The right side of the status bar: the view path, the image's file name, marked when a
    /// running QEMU holds the image (``ImageAnalysis/inUse``), and, for a remote image, the bytes
    /// and requests fetched so far. While watching, the file's growth over the last rounds comes
    /// first, as a sparkline.
    static func statusRight(_ state: AppState, _ data: ExplorerData, theme: Theme) -> String {
        let growth = data.watch.map { $0.growth.isEmpty ? "" : theme.sparkline($0.growth) + " · " } ?? ""
        let inUse = data.analysis?.inUse == true ? " · in use" : ""
        let fetched = data.transferSummary.map { " · ↓ " + $0() } ?? ""
        return "\(growth)\(state.view.title) · \(data.image.file.displayName)\(inUse)\(fetched)"
    }

    static func drawOverlay(_ state: AppState, _ front: any ExplorerScreen.Type, theme: Theme, into screen: inout TerminalUI.Screen) {
        switch state.overlay {
        case .none:
            break
        case .help:
            let lines = helpLines(front)
            let popup = Popup(title: "Keys — any key closes", size: Popup.fitting(lines: lines, title: "Keys — any key closes"),
                              content: Paragraph(lines.joined(separator: "\n")), glyphs: theme.glyphs)
            screen.draw(popup, in: screen.bounds)
        case .goTo(let field):
            let title = front.positions.map { $0 == .guest ? "Go to a guest offset" : "Go to a host offset" }
                ?? "Go to: host X (layout) or guest X (map)"
            let popup = Popup(title: title, size: Size(width: 56, height: 5),
                              content: GoToContent(field: field), glyphs: theme.glyphs)
            screen.draw(popup, in: screen.bounds)
        }
    }

    /// The help text: this screen's keys first, then the global ones, aligned.
    static func helpLines(_ front: any ExplorerScreen.Type) -> [String] {
        let global = KeyBindings.global.map { hint in
            hint.key == "g" && front.positions == nil ? KeyHint("g", "host X / guest X: that offset in the layout / map") : hint
        }
        let all = front.hints + [KeyHint("", "")] + global
        let width = all.map { $0.key.count }.max() ?? 0
        return all.map { $0.key.isEmpty ? "" : TerminalText.padded($0.key, width: width + 2) + $0.action }
    }
}

/// The go-to prompt's two lines: the field and a hint of what it accepts.
struct GoToContent: Widget {
    var field: TextFieldState

    func draw(into screen: inout TerminalUI.Screen, in rect: Rect) {
        screen.draw(TextField(state: field, prompt: "offset: "), in: rect.row(0))
        if rect.height > 2 {
            screen.put("0x30000 · 196608 · 64K · 1.5G · #12 · host 1M · guest 2G", at: Point(x: rect.x, y: rect.y + 2), style: .dim,
                       maxWidth: rect.width)
        }
    }
}
