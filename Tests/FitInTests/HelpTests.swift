import Foundation
import Testing
import TestSupport

/// `qcowscope help` groups the commands by question and names every one; each command's help shows
/// an example.
@Suite struct HelpTests {
    /// The subcommands, as the root help lists them (two-space indent, then the name).
    static func commandNames() throws -> [String] {
        let help = try FitIn.run(["help"]).stdout
        var names: [String] = []
        var inSection = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasSuffix("SUBCOMMANDS:") { inSection = true; continue }
            if line.isEmpty { inSection = false; continue }
            guard inSection, line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            names.append(String(line.dropFirst(2).prefix { $0 != " " }))
        }
        return names
    }

    @Test func commandsAreGroupedByQuestion() throws {
        let help = try FitIn.run(["help"]).stdout
        let headings = ["IS IT HEALTHY?", "WHY IS IT BIG?", "WHAT CHANGED?", "WHAT IS IN IT?"]
        for heading in headings { #expect(help.contains(heading + " SUBCOMMANDS:"), "\(heading)") }
        let positions = headings.compactMap { help.range(of: $0)?.lowerBound }
        #expect(positions == positions.sorted())
        let names = try Self.commandNames()
        for expected in ["check", "space", "diff", "info", "explore", "map", "render", "layout", "frag", "snapshots", "bitmaps"] {
            #expect(names.contains(expected), "\(expected) missing from help")
        }
        #expect(Set(names).count == names.count)
        // Nothing falls through to "Other" while every command has a question.
        #expect(!help.contains("OTHER SUBCOMMANDS:"))
    }

    @Test func everyCommandsHelpHasAnExample() throws {
        for name in try Self.commandNames() {
            let help = try FitIn.run([name, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Example:\n  qcowscope "), "\(name) --help has no example")
        }
    }

    @Test func forceShareIsExplainedOnce() throws {
        let help = try FitIn.run(["info", "--help"]).stdout
        #expect(help.components(separatedBy: "never takes a lock").count == 2)
        #expect(help.contains("--output <json|human>"))
    }
}
