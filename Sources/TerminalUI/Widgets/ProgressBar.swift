/// A one-row progress bar for the analysis scan: the filled part in `fillStyle` (reverse video by
/// default, so it shows on any terminal), the label and percentage written over it.
///
/// `[ scanning L2 tables ········  42% ]` — the text stays readable because each cell keeps its
/// character and only the style marks progress.
public struct ProgressBar: Widget, Sendable {
    public var fraction: Double
    public var label: String
    public var fillStyle: Style
    public var emptyStyle: Style
    public var showsPercentage: Bool

    public init(fraction: Double, label: String = "", fillStyle: Style = .reverse, emptyStyle: Style = .plain,
                showsPercentage: Bool = true) {
        self.fraction = fraction
        self.label = label
        self.fillStyle = fillStyle
        self.emptyStyle = emptyStyle
        self.showsPercentage = showsPercentage
    }

    /// The fraction clamped to 0…1 (NaN counts as 0).
    public var clampedFraction: Double { fraction.isNaN ? 0 : min(max(fraction, 0), 1) }

    /// The whole-percent text, rounded down so 100% means done.
    public var percentageText: String { "\(Int((clampedFraction * 100).rounded(.down)))%" }

    public func draw(into screen: inout Screen, in rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        let width = rect.width
        let percent = showsPercentage ? percentageText : ""
        // Label on the left, percentage on the right, one space margin each.
        let labelRoom = max(0, width - percent.count - 3)
        var text = Array(TerminalText.padded(" " + TerminalText.truncated(label, width: labelRoom), width: width))
        let percentStart = width - percent.count - 1
        if percentStart > 0 {
            for (i, c) in percent.enumerated() where percentStart + i < width { text[percentStart + i] = c }
        }
        let filled = Int((clampedFraction * Double(width)).rounded(.down))
        for (i, c) in text.enumerated() {
            screen.set(Cell(c, style: i < filled ? fillStyle : emptyStyle), at: Point(x: rect.x + i, y: rect.y))
        }
    }
}
