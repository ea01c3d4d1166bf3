import TerminalUI

/// One 8-bit sRGB colour of a picture.
public struct RGB: Hashable, Sendable, CustomStringConvertible {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A terminal colour's value (xterm's palette); nil for the terminal's default colour.
    public init?(_ color: Color) {
        guard let c = color.rgb else { return nil }
        self.init(c.red, c.green, c.blue)
    }

    /// The colour `fraction` (0…1) of the way from `self` to `other`, rounded: dim text, and map
    /// pixels that are only partly used.
    public func mixed(with other: RGB, _ fraction: Double) -> RGB {
        let t = min(max(fraction, 0), 1)
        func channel(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8(min(255, max(0, (Double(a) + (Double(b) - Double(a)) * t).rounded())))
        }
        return RGB(channel(red, other.red), channel(green, other.green), channel(blue, other.blue))
    }

    /// `#rrggbb`, for SVG.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        return "#" + String([red, green, blue].flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }

    public var description: String { hex }
}

/// The picture's stand-ins for the terminal's default colours: a dark background with light
/// text (the README's screenshots are taken in such a terminal).
public struct ScreenColors: Hashable, Sendable {
    public var foreground: RGB
    public var background: RGB

    public init(foreground: RGB = RGB(220, 223, 228), background: RGB = RGB(24, 25, 30)) {
        self.foreground = foreground
        self.background = background
    }

    public static let dark = ScreenColors()

    /// The foreground and background a cell of `style` shows: the defaults stand in for
    /// ``Color/default``, reverse swaps them, dim pulls the text half way to the ground.
    public func resolve(_ style: Style) -> (foreground: RGB, background: RGB) {
        var fg = RGB(style.foreground) ?? foreground
        var bg = RGB(style.background) ?? background
        if style.attributes.contains(.reverse) { swap(&fg, &bg) }
        if style.attributes.contains(.dim) { fg = fg.mixed(with: bg, 0.45) }
        return (fg, bg)
    }
}
