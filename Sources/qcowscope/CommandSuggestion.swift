import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What to say when the first word is neither a command nor a file: `qcowscope snapshot IMAGE` would
/// otherwise try to open a file called `snapshot`, and `qcowscope help snapshot` would print the
/// general help and exit 0 as if the command existed.
enum CommandSuggestion {
    /// The subcommands' names, in the order `--help` lists them.
    static var commandNames: [String] {
        QcowScope.configuration.subcommands.map { $0._commandName }
    }

    /// The usage problem with `arguments` (argv without the program name), or nil when the
    /// argument parser should handle them.
    static func problem(with arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        let names = commandNames
        if first == "help" {
            guard arguments.count > 1, !arguments[1].hasPrefix("-"), !names.contains(arguments[1]) else { return nil }
            return unknown(arguments[1], names: names)
        }
        guard !names.contains(first), !fileExists(first), let near = nearest(to: first, in: names) else { return nil }
        return "qcowscope: '\(first.terminalSafe)' is neither a command nor a file; did you mean '\(near)'?"
    }

    private static func unknown(_ word: String, names: [String]) -> String {
        var message = "qcowscope: no command '\(word.terminalSafe)'"
        if let near = nearest(to: word, in: names) { message += "; did you mean '\(near)'?" }
        return message + "\ncommands: " + names.joined(separator: ", ")
    }

    /// The command closest to `word`: one that starts with it or that it starts with, else within an
    /// edit distance of 2 (a typo or a missing plural `s`).
    static func nearest(to word: String, in names: [String]) -> String? {
        let lower = word.lowercased()
        guard !lower.isEmpty else { return nil }
        if let prefixed = names.first(where: { $0.hasPrefix(lower) || (lower.hasPrefix($0) && lower.count - $0.count <= 2) }) {
            return prefixed
        }
        let scored = names.map { (name: $0, distance: editDistance(Array(lower), Array($0))) }
        guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= 2 else { return nil }
        return best.name
    }

    /// Levenshtein distance between two short words.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            previous = current
        }
        return previous[b.count]
    }

    private static func fileExists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}
