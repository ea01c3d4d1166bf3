/// A picture in memory: `width × height` RGB pixels, row-major, 3 bytes each (PNG's colour type
/// 2 layout, so encoding needs no conversion).
public struct Raster: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var pixels: [UInt8]

    /// The largest side a raster may have: 16384 pixels (a 1 GiB picture is never what anyone
    /// wants from a terminal screen or a map).
    public static let maximumSide = 16384

    /// A raster filled with `color`; sides are clamped to 0…``maximumSide``.
    public init(width: Int, height: Int, fill color: RGB) {
        self.width = min(max(width, 0), Self.maximumSide)
        self.height = min(max(height, 0), Self.maximumSide)
        var pixels = [UInt8](repeating: 0, count: self.width * self.height * 3)
        for i in stride(from: 0, to: pixels.count, by: 3) {
            pixels[i] = color.red
            pixels[i + 1] = color.green
            pixels[i + 2] = color.blue
        }
        self.pixels = pixels
    }

    /// The pixel at `(x, y)`, nil outside.
    public subscript(x: Int, y: Int) -> RGB? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        let i = (y * width + x) * 3
        return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// Sets one pixel; ignored outside the raster.
    public mutating func set(_ x: Int, _ y: Int, _ color: RGB) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = (y * width + x) * 3
        pixels[i] = color.red
        pixels[i + 1] = color.green
        pixels[i + 2] = color.blue
    }

    /// Fills the part of the rectangle that lies on the raster.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ color: RGB) {
        let x0 = max(x, 0), y0 = max(y, 0)
        let x1 = min(x + w, width), y1 = min(y + h, height)
        guard x0 < x1, y0 < y1 else { return }
        for row in y0..<y1 {
            for column in x0..<x1 { set(column, row, color) }
        }
    }

    /// The raw rows: PNG scan lines without their filter bytes.
    func row(_ y: Int) -> ArraySlice<UInt8> { pixels[(y * width * 3)..<((y + 1) * width * 3)] }
}
