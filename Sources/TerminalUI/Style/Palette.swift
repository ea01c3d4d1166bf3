/// The xterm 256-colour palette as RGB, used to map true colours to 256 and 256 to 8.
///
/// The 16 base entries are xterm's defaults; 16–231 is the 6×6×6 cube with levels
/// 0, 95, 135, 175, 215, 255; 232–255 are greys 8, 18, …, 238.
enum Palette {
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    static let base16: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
        (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
        (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// RGB of palette entry `index` (clamped to 0…255).
    static func rgb(_ index: Int) -> (Int, Int, Int) {
        let i = min(max(index, 0), 255)
        if i < 16 { return base16[i] }
        if i >= 232 {
            let v = 8 + 10 * (i - 232)
            return (v, v, v)
        }
        let c = i - 16
        return (cubeLevels[c / 36], cubeLevels[(c / 6) % 6], cubeLevels[c % 6])
    }

    /// The nearest cube or grey entry (16…255) to a true colour; the base 16 are skipped because
    /// terminals redefine them.
    static func nearestIndex(r: UInt8, g: UInt8, b: UInt8) -> Int {
        let rgb = (Int(r), Int(g), Int(b))
        func level(_ v: Int) -> Int {
            var best = 0
            for (i, l) in cubeLevels.enumerated() where abs(l - v) < abs(cubeLevels[best] - v) { best = i }
            return best
        }
        let cube = 16 + 36 * level(rgb.0) + 6 * level(rgb.1) + level(rgb.2)
        let average = (rgb.0 + rgb.1 + rgb.2) / 3
        let greyStep = min(max((average - 3) / 10, 0), 23)
        let grey = 232 + greyStep
        return distance(rgb, Self.rgb(grey)) < distance(rgb, Self.rgb(cube)) ? grey : cube
    }

    /// The basic colour (0–7) that best stands for palette entry `index` on an 8-colour terminal.
    ///
    /// Each channel counts as "on" when it reaches half the brightest channel (and at least 64),
    /// which keeps hues (orange → yellow, violet → magenta) and sends dark greys to black and
    /// light greys to white.
    static func basicIndex(for index: Int) -> Int {
        if index < 8 { return max(0, index) }
        if index < 16 { return index - 8 }
        let (r, g, b) = rgb(index)
        let threshold = max(max(r, g, b) / 2, 64)
        return (r >= threshold ? 1 : 0) | (g >= threshold ? 2 : 0) | (b >= threshold ? 4 : 0)
    }

    static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return dr * dr + dg * dg + db * db
    }
}
