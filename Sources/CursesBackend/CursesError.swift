/// Why the terminal could not be taken over. The app prints ``description`` and falls back to
/// the non-interactive reports.
public enum CursesError: Error, Equatable, CustomStringConvertible {
    /// Standard input or output is not a terminal (piped, redirected, or run from a script).
    case notATerminal
    /// `newterm` refused the terminal type named by TERM.
    case unknownTerminal(String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "the interactive explorer needs a terminal on standard input and output; "
                + "use a subcommand (info, check, map, …) for output to a pipe or file"
        case .unknownTerminal(let term):
            return "cannot use terminal type '\(term)' (TERM); try TERM=xterm-256color"
        }
    }
}
