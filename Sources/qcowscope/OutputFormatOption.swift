import ArgumentParser

/// qemu-img's `--output=json|human`, beside `--json`, on every command that has `--json`: the
/// spelling qemu-img users type, meaning exactly what `--json` and the default mean.
struct OutputFormatOption: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, human
    }

    @Option(name: .customLong("output"), help: ArgumentHelp("As qemu-img: json is --json, human the default.", valueName: "json|human"))
    var output: Format?

    /// Whether JSON was asked for, by `--json` (the command's own flag) or `--output=json`.
    func json(_ jsonFlag: Bool) -> Bool { jsonFlag || output == .json }
}
