import ArgumentParser
import Explorer
import Qcow2
import TerminalUI

/// `qcowscope render IMAGE --view VIEW --size COLSxROWS`: one explorer view drawn headlessly as
/// plain text (no escape sequences), after the scan has finished.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print one explorer view as plain text, without a terminal.")

    @OptionGroup var options: ImageOptions
    @Option(help: "The view: \(ViewID.allCases.map(\.name).joined(separator: ", ")).") var view: String = "header"
    @Option(help: "The screen size as COLSxROWS.") var size: String = "120x40"
    @Flag(help: "ASCII drawing characters only.") var ascii = false

    func validate() throws {
        if ViewID(name: view) == nil {
            throw ValidationError("unknown view '\(view)'; views: \(ViewID.allCases.map(\.name).joined(separator: ", "))")
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
        let screen = Explorer.render(AppState(view: ViewID(name: view) ?? .header), session.snapshot(),
                                     size: Self.parseSize(size) ?? Size(width: 120, height: 40),
                                     theme: Theme(glyphs: ascii ? .ascii : .unicode, colorMode: .none))
        print(screen.textDump())
    }
}
