import ArgumentParser
import Explorer
import Pictures
import Qcow2
import TerminalUI

/// `qcowscope render IMAGE --view VIEW --size COLSxROWS [--format text|png|svg] [--output FILE]`:
/// one explorer view drawn headlessly after the scan has finished, as plain text (no escape
/// sequences), or as a picture in the theme's colours for bug reports and documentation.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Draw one explorer view without a terminal: as plain text, or as a PNG or SVG picture.",
        discussion: """
            The view is drawn after the scan has finished, as the explorer would show it. --view takes a \
            view's name or its number key (1-\(ViewID.allCases.count)); host and guest name layout and map too.

            --format png draws the screen in the explorer's colours (256-colour theme, dark background) with \
            a built-in 9x18 bitmap font, one cell per character; --format svg writes the same cells as SVG \
            text. Pictures go to --output FILE (or standard output with -, never a terminal).

            \(ExitStatus.help)

            Example:
              qcowscope render vm.qcow2 --view refcounts --size 100x30
              qcowscope render vm.qcow2 --view host --format png --output host.png
            """)

    @OptionGroup var options: ImageOptions
    @Option(help: "The view: \(ViewID.names).") var view: String = "header"
    @Option(help: "The screen size as COLSxROWS.") var size: String = "120x40"
    @Flag(help: "ASCII drawing characters only.") var ascii = false
    @Option(help: "What to write: the text, or a PNG or SVG picture.") var format: Format = .text
    @Option(name: .shortAndLong, help: "The file to write (- for standard output).", completion: .file())
    var output: String = "-"

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, png, svg
    }

    func validate() throws {
        if ViewID(name: view) == nil {
            throw ValidationError("unknown view '\(view)'; views: \(ViewID.names) (or 1-\(ViewID.allCases.count))")
        }
        if Self.parseSize(size) == nil { throw ValidationError("size must be COLSxROWS, e.g. 120x40 (each 10...1000)") }
        try PictureOutput(path: output).check(image: options.image, binary: format == .png)
    }

    static func parseSize(_ text: String) -> Size? {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]),
              (10...1000).contains(w), (5...1000).contains(h) else { return nil }
        return Size(width: w, height: h)
    }

    func run() throws {
        let image = try options.open()
        let session = ExplorerSession(data: ExplorerData(path: options.image, image: image, chain: BackingChain.open(top: image)))
        session.scanNow()
        let data = session.snapshot()
        // Text has no colours to show; pictures get the full theme.
        let screen = Explorer.render(AppState(view: ViewID(name: view) ?? .header), data,
                                     size: Self.parseSize(size) ?? Size(width: 120, height: 40),
                                     theme: Theme(glyphs: ascii ? .ascii : .unicode, colorMode: format == .text ? .none : .full256))
        let out = PictureOutput(path: output)
        switch format {
        case .text: try out.write(Array((screen.textDump() + "\n").utf8))
        case .svg: try out.write(Array(screen.svg().utf8))
        case .png: try out.write(try screen.png())
        }
        // The same errors the views show: opening the image and its chain, and the scan's.
        var errors = Array(ExitStatus.errors(data.info.findings))
        if let scanError = data.scanError { errors.insert("the scan stopped: \(scanError)", at: 0) }
        if let analysis = data.analysis { errors += ExitStatus.errors(analysis) }
        try ExitStatus.finish(options.image, errors: errors)
    }
}
