import Foundation

/// The report commands the binary has, asked of its own `--help` so the suite picks up commands as
/// they are added (info, check, map, layout, frag, snapshots, bitmaps, render).
struct Commands: Sendable {
    /// Subcommands that read one image and print a report.
    static let reportCommands = ["info", "check", "map", "layout", "frag", "snapshots", "bitmaps", "space", "diff", "vet"]

    var available: [String]
    /// Those that accept `--json`.
    var json: Set<String>
    /// The explorer views `render --view` accepts (empty when the binary has no `render`).
    var views: [String] = []

    init(runner: Runner) {
        let help = runner.run(["--help"], slot: 9_000_000)
        let text = String(decoding: help.stdout + help.stderr, as: UTF8.self)
        let listed = Set(text.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop { $0 == " " }
            guard line.hasPrefix("  "), let word = trimmed.split(separator: " ").first else { return nil }
            return String(word)
        })
        available = Self.reportCommands.filter(listed.contains)
        var json: Set<String> = []
        let helps = runner.runAll(available.map { ["help", $0] })
        for (command, r) in zip(available, helps) where String(decoding: r.stdout + r.stderr, as: UTF8.self).contains("--json") {
            json.insert(command)
        }
        self.json = json
        if listed.contains("render") {
            let r = runner.run(["help", "render"], slot: 9_000_001)
            views = Self.views(inRenderHelp: String(decoding: r.stdout + r.stderr, as: UTF8.self))
        }
    }

    /// The views from `--view <view>  The view: header, host, ... (default: header)`.
    static func views(inRenderHelp help: String) -> [String] {
        let flat = help.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        guard let start = flat.range(of: "The view:")?.upperBound else { return [] }
        let rest = flat[start...]
        let list = rest[..<(rest.range(of: "(default")?.lowerBound ?? rest.range(of: "--")?.lowerBound ?? rest.endIndex)]
        return list.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " .")) }
            .filter { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0 == "-" } }
    }

    /// Argument lists for every available command on `image`, text and (where supported) JSON,
    /// and a render of every explorer view.
    func jobs(for image: String, backingChain: Bool = false, render: Bool = true) -> [[String]] {
        var out: [[String]] = []
        if render { out += views.map { ["render", "--view", $0, image] } }
        for command in available {
            out.append([command, image])
            if json.contains(command) { out.append([command, "--json", image]) }
        }
        if backingChain, available.contains("info") {
            out.append(["info", "--backing-chain", image])
            if json.contains("info") { out.append(["info", "--backing-chain", "--json", image]) }
        }
        return out
    }
}
