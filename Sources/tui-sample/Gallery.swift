import TerminalUI

/// The state of the widget gallery: which page, the selected row, the goto prompt, the last
/// event seen. Pure values, updated by ``update(_:)`` and drawn by ``render(size:)``.
struct Gallery {
    var page = 0
    var selection = 0
    var scroll = 0
    var prompt: TextFieldState? = nil
    var showsHelp = false
    var lastEvent = "none"
    var quit = false
    var glyphs: GlyphSet
    var colorMode: ColorMode

    static let pages = ["Widgets", "Heatmap", "Table", "Colours"]
    static let roleColors: [(String, Color)] = [
        ("header", .brightWhite), ("L1", .indexed(214)), ("L2", .yellow), ("refcounts", .magenta),
        ("snapshots", .cyan), ("bitmaps", .blue), ("data", .green), ("shared", .indexed(40)),
        ("compressed", .indexed(141)), ("free", .brightBlack), ("leaked", .red), ("conflict", .brightRed),
    ]

    mutating func update(_ event: InputEvent) {
        lastEvent = event.description
        if var field = prompt {
            switch field.handle(event) {
            case .submitted, .cancelled: prompt = nil
            default: prompt = field
            }
            return
        }
        if showsHelp {
            showsHelp = false
            return
        }
        switch event {
        case .character("q"): quit = true
        case .character("?"): showsHelp = true
        case .character("g"): prompt = TextFieldState()
        case .character(let c) where ("1"..."4").contains(c):
            page = Int(String(c)).map { $0 - 1 } ?? page
        case .tab, .right: page = (page + 1) % Self.pages.count
        case .backTab, .left: page = (page + Self.pages.count - 1) % Self.pages.count
        case .down, .character("j"): selection = min(selection + 1, 99)
        case .up, .character("k"): selection = max(selection - 1, 0)
        case .pageDown: selection = min(selection + 10, 99)
        case .pageUp: selection = max(selection - 10, 0)
        case .home: selection = 0
        case .end: selection = 99
        case .mouse(let mouse) where mouse.kind == .wheelDown: selection = min(selection + 3, 99)
        case .mouse(let mouse) where mouse.kind == .wheelUp: selection = max(selection - 3, 0)
        case .mouse(let mouse) where mouse.kind == .press && mouse.y == 0:
            if let tab = TabBar(titles: Self.pages, active: page).tabRanges().firstIndex(where: { $0.contains(mouse.x) }) {
                page = tab
            }
        default: break
        }
    }

    mutating func render(size: Size) -> Screen {
        var screen = Screen(size: size)
        let (tabs, rest) = screen.bounds.splitTop(1)
        let (body, status) = rest.splitBottom(1)
        TabBar(titles: Self.pages, active: page).draw(into: &screen, in: tabs)
        switch page {
        case 0: drawWidgets(into: &screen, in: body)
        case 1: drawHeatmap(into: &screen, in: body)
        case 2: drawTable(into: &screen, in: body)
        default: drawColours(into: &screen, in: body)
        }
        StatusBar(left: "tui-sample \(size) \(colorMode.rawValue)", right: "last: \(lastEvent)",
                  hints: [KeyHint("q", "quit"), KeyHint("?", "help"), KeyHint("g", "goto"), KeyHint("1-4", "pages")])
            .draw(into: &screen, in: status)
        if showsHelp {
            let lines = ["1-4, Tab, ←/→   switch page", "↑/↓, j/k, PgUp/PgDn   move", "g   goto prompt",
                         "mouse: click tabs, wheel scrolls", "q   quit", "", "any key closes this help"]
            Popup(title: "Help", size: Popup.fitting(lines: lines, title: "Help"),
                  content: Paragraph(lines.joined(separator: "\n")), glyphs: glyphs)
                .draw(into: &screen, in: body)
        }
        if let prompt {
            Popup(title: "Go to", size: Size(width: 40, height: 3),
                  content: TextField(state: prompt, prompt: "offset: "), glyphs: glyphs)
                .draw(into: &screen, in: body)
        }
        return screen
    }
}
