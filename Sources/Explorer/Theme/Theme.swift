import Analysis
import Qcow2
import TerminalUI

/// Colours and glyphs of the explorer: one colour per host-cluster role (btrfs-heatmap's idea),
/// and the styles of the chrome. Views ask the theme, never hard-code colours, so `--no-color`
/// and `--ascii` change every view at once.
public struct Theme: Sendable {
    public var glyphs: GlyphSet
    public var colorMode: ColorMode

    public init(glyphs: GlyphSet = .unicode, colorMode: ColorMode = .full256) {
        self.glyphs = glyphs
        self.colorMode = colorMode
    }

    public static let plainText = Theme(glyphs: .unicode, colorMode: .none)

    /// The colour that stands for a host-cluster role in the heatmap and legend. Metadata is
    /// warm (yellow, orange, magenta), data is green/teal, problems are red, free is dark grey.
    public func color(_ role: ClusterRole) -> Color {
        switch role {
        case .free: .indexed(236)
        case .header: .indexed(255)
        case .l1: .indexed(226)
        case .l2: .indexed(214)
        case .refcountTable: .indexed(201)
        case .refcountBlock: .indexed(170)
        // Snapshot metadata: three blues far apart in lightness (cyan, azure, pure blue).
        case .snapshotTable: .indexed(51)
        case .snapshotL1: .indexed(32)
        case .snapshotL2: .indexed(21)
        case .bitmapDirectory: .indexed(105)
        case .bitmapTable: .indexed(99)
        case .bitmapData: .indexed(141)
        case .cryptoHeader: .indexed(137)
        // Data is green; shared data teal, snapshot-only data a dark slate teal well apart from it.
        case .data: .indexed(34)
        case .dataShared: .indexed(37)
        case .snapshotData: .indexed(23)
        case .compressed: .indexed(150)
        case .leaked: .indexed(196)
        case .conflict: .indexed(199)
        }
    }

    /// The style of a heatmap cell of `role`.
    public func style(_ role: ClusterRole) -> Style {
        role == .conflict || role == .leaked ? Style(foreground: color(role), attributes: .bold) : Style.fg(color(role))
    }

    public var title: Style { .bold }
    public var label: Style { .dim }
    public var value: Style { .plain }
    public var accent: Style { Style.fg(.indexed(81), .bold) }
    public var good: Style { Style.fg(.indexed(71)) }
    public var warning: Style { Style.fg(.indexed(214), .bold) }
    public var error: Style { Style.fg(.indexed(196), .bold) }
    public var selection: Style { Style(foreground: .indexed(16), background: .indexed(117)) }
    public var chrome: Style { Style(foreground: .indexed(16), background: .indexed(110)) }
    public var chromeKey: Style { Style(foreground: .indexed(16), background: .indexed(110), attributes: .bold) }
    public var bar: Style { Style.fg(.indexed(110)) }

    /// The style for a finding of `severity`.
    public func style(_ severity: Finding.Severity) -> Style {
        switch severity {
        case .info: label
        case .warning: warning
        case .error: error
        }
    }
}
