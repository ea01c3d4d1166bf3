import TerminalUI

/// What a screen draws while the data it shows is computed in the background (``ExplorerWork``):
/// what is being done, for how long once it passes a second (the walks report no finer progress,
/// and a ticking count shows the explorer is alive), what appears when it is done, and that Esc
/// goes back meanwhile.
public struct WorkNotice: Widget {
    /// "Walking the L1/L2 tables of snapshot 1 "name"" (no final punctuation).
    var doing: String
    /// How long ago the work was asked for; nil when it is not under way (not asked yet).
    var waited: Duration?
    /// "The map appears here when the walk is done."
    var then: String
    var theme: Theme

    public init(_ doing: String, waited: Duration?, then: String, theme: Theme) {
        self.doing = doing
        self.waited = waited
        self.then = then
        self.theme = theme
    }

    /// The notice for `work`, with how long `data` says it has waited.
    init(_ doing: String, _ work: ExplorerWork, _ data: ExplorerData, then: String, theme: Theme) {
        self.init(doing, waited: data.running[work], then: then, theme: theme)
    }

    /// Whole seconds waited, shown from the first second on.
    var seconds: Int64? {
        guard let waited, waited >= .seconds(1) else { return nil }
        return waited.components.seconds
    }

    public var text: String {
        let clock = seconds.map { " \($0) s" } ?? ""
        return "\(doing)\(theme.glyphs.ellipsis)\(clock)\n\n\(then)\n"
            + "Esc goes back meanwhile: work under way finishes in the background and is kept for next time."
    }

    public func draw(into screen: inout TerminalUI.Screen, in rect: Rect) {
        screen.draw(Paragraph(text, style: theme.label), in: rect.inset(top: 1, left: 2, right: 2))
    }
}
