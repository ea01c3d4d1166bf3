import ArgumentParser
import Dispatch
import Formatting
import Qcow2
import Reports
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `qcowscope survey`: every qcow2 image under some directories, one record each, scanned several
/// at once and written as each finishes.
struct SurveyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survey",
        abstract: "Find every qcow2 image under the paths and report each one: size, check verdict, fragmentation, what compacting saves.",
        discussion: """
            On a terminal, without --json or --csv, the images are shown in a table that fills in as scans \
            finish: s/S or F6 change the sort column, 1-9 sort by that column (again: reverse), r reverses, / \
            filters by path, Enter opens the explorer on the image (Esc or q comes back), q quits. Elsewhere \
            one line per image is printed.

            Images are found by their magic (QFI\\xfb), not their name; symbolic links are followed, each \
            directory entered once (no loops), each file reported once; what cannot be read is named on standard \
            error and skipped. Each image gets the one scan `check`, `frag` and `snapshots` use, --jobs at a time \
            (default: the number of cores).

            With --json, one JSON object per line (NDJSON), written as each image finishes, so a pipeline can \
            start at once and the records of several hosts can simply be concatenated. Keys, in this order \
            (--csv has them as its header): \(SurveyRecord.columns.joined(separator: ", ")). They reuse the \
            names and values of `check --json` (check-errors, corruptions, leaks), `info --json` (virtual-size, \
            actual-size, cluster-size, compat, dirty-flag), `frag --json` (file-size, score, band, compact-size) \
            and `snapshots --json` (snapshot-exclusive-bytes sums their exclusive-bytes); leaked-bytes is leaks × \
            cluster-size, compact-saving-bytes is file-size − compact-size (0 when a copy is not smaller), \
            in-use says a running QEMU holds the image's lock, guest-reclaimable-bytes is the `space` report's \
            reclaimable-bytes (with --guest only), error says why an image with the magic could not be read.

            Backing and data files are followed only inside the surveyed path unless --follow-backing-anywhere.

            Example:
              qcowscope survey --json /var/lib/libvirt/images | jq -s 'sort_by(-."compact-saving-bytes") | .[:5]'

            Exit status: 0 every image complete and clean; 2 some image is damaged or leaks, or something could \
            not be read (each is named on standard error); 1 no image was found.
            """)

    @Argument(help: "Directories (or image files) to search.", completion: .directory)
    var paths: [String]
    @Flag(name: .customLong("json"), help: "Print one JSON object per image, one per line, as each finishes.")
    var jsonFlag = false
    @OptionGroup var outputFormat: OutputFormatOption
    var json: Bool { outputFormat.json(jsonFlag) }
    @Flag(help: "Print CSV: a header, then one line per image as each finishes.") var csv = false
    @Option(help: "Images scanned at once (default: the number of cores).") var jobs: Int?
    @Flag(help: "Also read the guest's filesystems for reclaimable bytes (slower).") var guest = false
    @Flag(name: .customLong("no-backing"), help: "Do not open backing files.") var noBacking = false
    @Flag(name: .customLong("follow-backing-anywhere"),
          help: "Follow backing and data file names that lead outside the surveyed path.")
    var followBackingAnywhere = false
    @Flag(name: .customLong("no-color"), help: "No colours in the interactive table (also when NO_COLOR is set).")
    var noColor = false
    @Flag(help: "ASCII drawing characters only in the interactive table.") var ascii = false

    /// The limits an image found under `root` is opened with: backing and data files only inside
    /// the surveyed tree (``ReachRule``; the image's directory when the root is the image itself),
    /// unless --follow-backing-anywhere.
    var limits: @Sendable (_ image: [UInt8], _ root: [UInt8]) -> DecodingLimits {
        let base = ImageOptions.limits(noBacking: noBacking, followAnywhere: followBackingAnywhere)
        return { image, root in
            var limits = base
            if limits.reach != .anywhere { limits.reach = image == root ? .imageDirectory : ReachRule(.directory(root)) }
            return limits
        }
    }

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv cannot be used together") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let roots = paths.map(ImageOptions.rawArgument)
        let survey = Survey(options: surveyOptions)
        if !json && !csv && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
            return try runInteractive(survey, roots: roots)
        }
        let output = SurveyOutput(format: json ? .json : csv ? .csv : .text,
                                  progress: ProgressLine.make(enabled: isatty(STDOUT_FILENO) == 0))
        output.start()
        let ticker = output.tick(survey)
        survey.run(roots, record: output.write, skipped: output.skip)
        ticker.stop()
        try output.finish(found: survey.progress.found)
    }

    var surveyOptions: Survey.Options {
        let limits = limits
        return Survey.Options(
            jobs: jobs ?? max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))),
            limits: { found in limits(found.rawPath, found.root) },
            guest: guest,
            source: { (path: [UInt8]) throws(FormatError) -> any ByteSource in try ImageOptions.source(rawPath: path) })
    }
}
