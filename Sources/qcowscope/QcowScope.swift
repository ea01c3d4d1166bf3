import ArgumentParser

/// The `qcowscope` command: the explorer by default, and non-interactive reports as subcommands.
@main
struct QcowScope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qcowscope",
        abstract: "Explore the internals of QEMU qcow2 disk images. Never writes to an image.",
        version: QcowScopeVersion.string,
        subcommands: [ExploreCommand.self, RenderCommand.self, InfoCommand.self, MapCommand.self, BitmapsCommand.self, CheckCommand.self, LayoutCommand.self, FragCommand.self, SnapshotsCommand.self],
        defaultSubcommand: ExploreCommand.self)
}

enum QcowScopeVersion {
    static let string = "0.1.0"
}
