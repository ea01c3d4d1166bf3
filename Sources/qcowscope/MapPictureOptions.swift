import ArgumentParser
import Pictures

/// `--picture FILE.png [--curve hilbert|linear] [--width N]` of `map` and `layout`: the guest or
/// host map as a PNG picture instead of the text.
struct MapPictureOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write the map as a PNG picture to this file instead of printing it (- for standard output).",
                               valueName: "file.png"), completion: .file(extensions: ["png"]))
    var picture: String?

    @Option(help: "The picture's order of clusters: linear (file order, left to right) or hilbert (nearby clusters stay together).")
    var curve: MapGeometry.Curve = .linear

    @Option(help: "The map's width in pixels (16-4096; hilbert takes the largest power of two that fits). Large images get several clusters per pixel so the map stays at most width x width.")
    var width: Int = 256

    func validate() throws {
        guard (16...MapGeometry.maximumWidth).contains(width) else {
            throw ValidationError("--width must be 16...\(MapGeometry.maximumWidth)")
        }
    }

    /// With `--picture`: not with `--json` (the picture replaces the text), and never over the image.
    func check(image: String, json: Bool) throws {
        guard let path = picture else { return }
        if json { throw ValidationError("--picture draws the map instead of printing it; leave out --json") }
        try PictureOutput(path: path).check(image: image, binary: true)
    }

    /// The file name the title shows: the image's last path component.
    static func title(_ image: String) -> String { image.split(separator: "/").last.map(String.init) ?? image }

    /// Encodes and writes `picture` to `--picture`.
    func write(_ picture: MapPicture) throws {
        guard let path = self.picture else { return }
        do {
            try PictureOutput(path: path).write(try picture.png())
        } catch let error as PNG.EncodeError {
            printError("qcowscope: \(error.description)")
            throw ExitCode(ExitStatus.nothingUseful)
        }
    }
}

extension MapGeometry.Curve: ExpressibleByArgument {}
