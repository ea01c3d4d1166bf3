import ArgumentParser
import Explorer
import Qcow2
import TerminalUI

/// `qcowscope render IMAGE --view VIEW --size COLSxROWS`: one explorer view drawn headlessly as
/// plain text (no escape sequences), after the scan has finished.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print one explorer view as plain text, without a terminal.",
        discussion: """
            The view is drawn after the scan has finished, as the explorer would show it. --view takes a \
            view's name or its number key (1-\(ViewID.allCases.count)); host and guest name layout and map too.

            \(ExitStatus.help)
            """)

    @OptionGroup var options: ImageOptions
    @Option(help: "The view: \(ViewID.names).") var view: String = "header"
    @Option(help: "The screen size as COLSxROWS.") var size: String = "120x40"
    @Flag(help: "ASCII drawing characters only.") var ascii = false

    func validate() throws {
        if ViewID(name: view) == nil {
            throw ValidationError("unknown view '\(view)'; views: \(ViewID.names) (or 1-\(ViewID.allCases.count))")
        }
        if Self.parseSize(size) == nil { throw ValidationError("size must be COLSxROWS, e.g. 120x40 (each 10...1000)") }
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
        let screen = Explorer.render(AppState(view: ViewID(name: view) ?? .header), data,
                                     size: Self.parseSize(size) ?? Size(width: 120, height: 40),
                                     theme: Theme(glyphs: ascii ? .ascii : .unicode, colorMode: .none))
        FileDescriptorWriter.write(screen.textDump() + "\n", to: 1)
        // The same errors the views show: opening the image and its chain, and the scan's.
        var errors = Array(ExitStatus.errors(data.info.findings))
        if let scanError = data.scanError { errors.insert("the scan stopped: \(scanError)", at: 0) }
        if let analysis = data.analysis { errors += ExitStatus.errors(analysis) }
        try ExitStatus.finish(options.image, errors: errors)
    }
}
