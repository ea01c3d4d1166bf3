import ArgumentParser

/// `qcowscope help` lists the commands by the question people come with, not alphabetically: is the
/// image healthy, why is it big, what changed, what is in it.
///
/// The grouping is a table of command names, so a command added to ``QcowScope/commands`` without
/// a row here still appears, under "Other", rather than vanishing from the help; the test that
/// checks the help names every command.
enum CommandGroups {
    /// Each question and the commands that answer it, in the order the help shows them.
    static let questions: [(question: String, commands: [String])] = [
        ("Is it healthy?", ["check", "vet"]),
        ("Why is it big?", ["space", "layout", "frag", "survey"]),
        ("What changed?", ["diff", "snapshots", "bitmaps"]),
        ("What is in it?", ["explore", "info", "map", "render"]),
    ]

    /// The heading of the commands no question claims.
    static let other = "Other"

    /// `commands` grouped by ``questions``; those in no row go last, under ``other``. Empty groups
    /// (a command named here that does not exist yet) are left out.
    static func grouping(_ commands: [ParsableCommand.Type]) -> [CommandGroup] {
        var remaining = commands
        var groups: [CommandGroup] = []
        for (question, names) in questions {
            let members = names.compactMap { name in remaining.first { $0._commandName == name } }
            remaining.removeAll { command in names.contains(command._commandName) }
            if !members.isEmpty { groups.append(CommandGroup(name: question, subcommands: members)) }
        }
        if !remaining.isEmpty { groups.append(CommandGroup(name: other, subcommands: remaining)) }
        return groups
    }
}
