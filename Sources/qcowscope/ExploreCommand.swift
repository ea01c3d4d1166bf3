import ArgumentParser
import CursesBackend
import Explorer
import Formatting
import Qcow2
import TerminalUI
#if canImport(Glibc)
import Glibc
#endif

/// `qcowscope IMAGE`: the interactive explorer (the default command).
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Open the interactive explorer (the default: `qcowscope IMAGE`).",
        discussion: """
            Keys: \(ViewID.keyRange) and Tab switch views, ? lists every key, q quits. The image is scanned in the background \
            while the first view is shown. An image a running QEMU holds is read without a lock and marked "in use";             --watch (or w in the explorer) re-scans it every few seconds, highlights the clusters allocated since the last             re-scan in the layout and the map, and draws the file's growth as a sparkline in the status line.

            Example:
              qcowscope vm.qcow2
              qcowscope vm.qcow2 --watch 5
              qcowscope explore -U --view refcounts vm.qcow2
              qcowscope --demo
            """)

    @Argument(help: "The qcow2 image to explore (opened read-only): a path, or an http(s)://, nbd:// or nbd+unix:// URL.",
              completion: .file())
    var image: String?

    @Flag(help: "Open the bundled demo image.") var demo = false
    @Flag(name: .customLong("no-color"), help: "No colours (also when NO_COLOR is set).") var noColor = false
    @Flag(help: "ASCII drawing characters only (the default when the locale is not UTF-8).") var ascii = false
    @Flag(name: .customLong("no-backing"), help: "Do not open backing files.") var noBacking = false
    @Flag(name: .customLong("follow-backing-anywhere"),
          help: "Open backing and data files wherever they are, as QEMU does; by default only inside the image's directory.")
    var followBackingAnywhere = false
    @OptionGroup var qemuImg: QemuImgOptions
    @OptionGroup(title: "Remote images") var remote: RemoteFlags
    @Option(help: "The view to open first: \(ViewID.names), or its number.")
    var view: String = "header"
    @Option(help: ArgumentHelp("Re-scan every SECONDS (2 when only --watch is given) and show what changed (w in the explorer does the same); one key=value line per re-scan when standard output is not a terminal.", valueName: "SECONDS"))
    var watch: Double?
    @Option(name: .customLong("watch-count"), help: .hidden) var watchCount: Int?

    mutating func validate() throws {
        if image == nil && !demo { throw ValidationError("give an IMAGE to explore, or --demo") }
        image = try image.map(qemuImg.path(from:))
        if let watch, !(watch > 0 && watch <= 86_400) { throw ValidationError("--watch takes a number of seconds between 0 and 86400") }
        if let watchCount, watchCount < 1 { throw ValidationError("--watch-count takes a positive number") }
        if ViewID(name: view) == nil { throw ValidationError("unknown view '\(view)'; views: \(ViewID.names) (or 1-\(ViewID.allCases.count))") }
    }

    func run() throws {
        let path = try demo ? DemoImage.path() : (image ?? "")
        if let watch, isatty(STDOUT_FILENO) != 1 { return try watchLines(path, every: watch) }
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            printError("qcowscope: the explorer needs a terminal; try `qcowscope info \(path.terminalSafe)` or `qcowscope render \(path.terminalSafe) --view header`")
            throw ExitCode(1)
        }
        let session: ExplorerSession
        // Opened by the argument's bytes (see ImageOptions.rawArgument), then explored as render does.
        let rawPath = ImageOptions.rawArgument(path)
        do {
            session = try Self.session(rawPath: rawPath, limits: ImageOptions.limits(noBacking: noBacking, followAnywhere: followBackingAnywhere))
        } catch {
            printError("qcowscope: \(RawString.escape(rawPath)): \(error.description)")
            throw ExitCode(ExitStatus.nothingUseful)
        }
        let terminal = try Self.terminal(noColor: noColor)
        defer { terminal.stop() }
        session.start()
        var initial = AppState(view: ViewID(name: view) ?? .header)
        if let watch {
            initial.watchSeconds = watch
            initial.watching = true
        }
        ExplorerLoop.run(backend: terminal, session: session, theme: Self.theme(terminal, ascii: ascii), initial: initial)
    }

    /// A session on the image whose path is `rawPath`, opened read-only with its backing chain.
    static func session(rawPath: [UInt8], limits: DecodingLimits) throws(FormatError) -> ExplorerSession {
        let image = try Qcow2Image(file: try ImageOptions.source(rawPath: rawPath), limits: limits)
        var data = ExplorerData(path: String(decoding: rawPath, as: UTF8.self), image: image, chain: BackingChain.open(top: image))
        if image.file.remoteURL != nil {
            // The status bar shows what fetching the remote image has cost so far.
            let stats = RemoteSession.stats
            data.transferSummary = { stats.summary(formatSize: Formatted.humanSize) }
        }
        return ExplorerSession(data: data)
    }

    /// The curses terminal, in colour unless `--no-color` or NO_COLOR; exits 1 when it cannot start.
    static func terminal(noColor: Bool) throws -> CursesTerminal {
        let wantsColor = !noColor && getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true
        do {
            return try CursesTerminal(colorMode: wantsColor ? nil : ColorMode.none)
        } catch {
            printError("qcowscope: cannot start the terminal: \(error)")
            throw ExitCode(ExitStatus.nothingUseful)
        }
    }

    /// ASCII glyphs when asked or when the locale is not UTF-8.
    static func theme(_ terminal: CursesTerminal, ascii: Bool) -> Theme {
        Theme(glyphs: ascii || !terminal.isUTF8Locale ? .ascii : .unicode, colorMode: terminal.colorMode)
    }
}
