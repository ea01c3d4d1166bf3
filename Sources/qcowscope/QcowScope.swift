import ArgumentParser

/// The `qcowscope` command: the explorer by default, and non-interactive reports as subcommands.
@main
struct QcowScope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qcowscope",
        abstract: "Explore the internals of QEMU qcow2 disk images. Never writes to an image.",
        discussion: """
            Exit status of every report: 0 complete; 2 printed, but part of the image could not be read or is \
            damaged; 1 nothing useful could be read. `check` uses qemu-img check's: 0 clean, 2 corruptions, \
            3 leaks only, 1 the check could not be done. `vet` one per verdict: 0 safe, 3 unsafe, 2 damaged, \
            1 unreadable. Details in `qcowscope help COMMAND`.
            """,
        version: QcowScopeVersion.string,
        groupedSubcommands: CommandGroups.grouping(commands),
        defaultSubcommand: ExploreCommand.self)

    /// Every subcommand; `help` shows them grouped by question (``CommandGroups``).
    static let commands: [ParsableCommand.Type] = [ExploreCommand.self, RenderCommand.self, InfoCommand.self, MapCommand.self, BitmapsCommand.self, CheckCommand.self, LayoutCommand.self, FragCommand.self, SnapshotsCommand.self, SpaceCommand.self, DiffCommand.self, SurveyCommand.self, VetCommand.self]

    /// Catches a mistyped command before the argument parser takes it for an image name.
    static func main() {
        if let problem = CommandSuggestion.problem(with: Array(CommandLine.arguments.dropFirst())) {
            printError(problem)
            Self.exit(withError: ExitCode.validationFailure)
        }
        // As ParsableCommand.main, with --stats printed however the command ends.
        do {
            var command = try parseAsRoot(WatchArgument.withDefault(Array(CommandLine.arguments.dropFirst())))
            try command.run()
            RemoteSession.printStatsIfAsked()
            Self.exit()
        } catch {
            RemoteSession.printStatsIfAsked()
            Self.exit(withError: error)
        }
    }
}

enum QcowScopeVersion {
    static let string = "0.1.0"
}
