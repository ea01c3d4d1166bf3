import Foundation
import Testing
import TerminalUI

/// Golden-file checks for rendered screens (swift-argument-parser's and gitui's snapshot idea).
///
/// A golden file lives at `<directory of the calling test file>/Golden/<name>.txt` and holds the
/// screen's ``Screen/textDump()`` and, when asked, a line `--- styles` followed by
/// ``Screen/styleDump(mode:)``. Run the tests with `QCOWSCOPE_RECORD_GOLDEN=1` to (re)write the
/// files, then read them before committing. On a mismatch the test fails with a line diff.
public enum Golden {
    /// The environment variable that switches from comparing to recording.
    public static let recordVariable = "QCOWSCOPE_RECORD_GOLDEN"

    /// The text stored for `screen`: its text dump, and its style mask when `styles` is set.
    public static func rendering(_ screen: Screen, styles: Bool, mode: ColorMode = .full256) -> String {
        var text = screen.textDump()
        if styles { text += "\n--- styles\n" + screen.styleDump(mode: mode) }
        return text + "\n"
    }

    /// Compares `screen` with the golden file `name` (records it when `QCOWSCOPE_RECORD_GOLDEN=1`
    /// or when the file does not exist yet, which also records an issue so a missing file cannot
    /// pass silently).
    public static func check(_ screen: Screen, named name: String, styles: Bool = false, mode: ColorMode = .full256,
                             filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation) {
        check(text: rendering(screen, styles: styles, mode: mode), named: name, filePath: filePath,
              sourceLocation: sourceLocation)
    }

    /// Compares arbitrary text with the golden file `name` (see ``check(_:named:styles:mode:filePath:sourceLocation:)``).
    public static func check(text: String, named name: String, filePath: String = #filePath,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        let url = goldenURL(named: name, filePath: filePath)
        let recording = ProcessInfo.processInfo.environment[recordVariable] == "1"
        let existing = try? String(contentsOf: url, encoding: .utf8)
        if recording || existing == nil {
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                        withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                Issue.record("could not write golden \(url.path): \(error)", sourceLocation: sourceLocation)
                return
            }
            if existing == nil && !recording {
                Issue.record("golden \(name) did not exist; recorded it at \(url.path) — check it and rerun",
                             sourceLocation: sourceLocation)
            }
            return
        }
        guard let existing, existing != text else { return }
        Issue.record("""
            \(name) differs from its golden file (\(url.path)); rerun with \(recordVariable)=1 to accept.
            \(lineDiff(expected: existing, actual: text))
            """, sourceLocation: sourceLocation)
    }

    /// `Golden/<name>.txt` beside the test file at `filePath`.
    public static func goldenURL(named name: String, filePath: String) -> URL {
        URL(fileURLWithPath: filePath).deletingLastPathComponent()
            .appendingPathComponent("Golden").appendingPathComponent(name + ".txt")
    }

    /// A small line diff: `-` expected, `+` actual, for lines that differ by position (screens
    /// have fixed line counts, so positional comparison reads best), with two lines of context.
    public static func lineDiff(expected: String, actual: String) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        var lastShown = -1
        for i in 0..<max(a.count, b.count) {
            let left = i < a.count ? String(a[i]) : nil
            let right = i < b.count ? String(b[i]) : nil
            guard left != right else { continue }
            for c in max(lastShown + 1, i - 2)..<i where c < a.count { out.append(String(format: "%4d  ", c + 1) + a[c]) }
            if let left { out.append(String(format: "%4d -", i + 1) + left) }
            if let right { out.append(String(format: "%4d +", i + 1) + right) }
            lastShown = i
        }
        return out.joined(separator: "\n")
    }
}
