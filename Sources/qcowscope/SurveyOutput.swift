import ArgumentParser
import Dispatch
import Formatting
import Qcow2
import Reports
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Where a survey's records go as they arrive: NDJSON, CSV or text lines on standard output, the
/// problems on standard error, one writer at a time, and the exit status at the end.
final class SurveyOutput: Sendable {
    enum Format: Sendable { case json, csv, text }

    let format: Format
    let progress: ProgressLine?
    private let state = Mutex<(problems: Int, skipped: Int)>((0, 0))

    init(format: Format, progress: ProgressLine?) {
        self.format = format
        self.progress = progress
    }

    func start() {
        if format == .csv { FileDescriptorWriter.write(SurveyRecord.csvHeader + "\n", to: 1) }
    }

    /// Writes one record, and names its problem on standard error.
    func write(_ record: SurveyRecord) {
        let line: String
        switch format {
        case .json: line = record.json.line()
        case .csv: line = record.csvLine
        case .text: line = Self.text(record)
        }
        state.withLock { s in
            FileDescriptorWriter.write(line + "\n", to: 1)
            if let problem = record.problem {
                s.problems += 1
                note("\(RawString.escape(record.rawPath)): \(problem.terminalSafe)")
            }
        }
    }

    func skip(_ skip: ImageDiscovery.Skip) {
        state.withLock { s in
            s.skipped += 1
            note("\(RawString.escape(skip.rawPath)): skipped: \(skip.reason.terminalSafe)")
        }
    }

    /// A line on standard error, above the progress line.
    private func note(_ text: String) {
        if let progress { progress.write(above: "qcowscope: " + text) } else { printError("qcowscope: " + text) }
    }

    /// Redraws the progress line ten times a second until stopped.
    func tick(_ survey: Survey) -> Ticker {
        let ticker = Ticker()
        guard let progress else { return ticker }
        DispatchQueue.global(qos: .utility).async {
            while !ticker.stopped {
                let p = survey.progress
                let total = p.walked ? "\(p.found)" : "\(p.found)+"
                let eta = p.walked && p.found > 0 ? progress.eta(fraction: Double(p.done) / Double(p.found)) : ""
                progress.update("survey: \(p.done)/\(total) images, \(Formatted.humanSize(p.metadataBytes)) read \(eta)")
                usleep(100_000)
            }
        }
        return ticker
    }

    final class Ticker: Sendable {
        private let flag = Atomic<Bool>(false)
        var stopped: Bool { flag.load(ordering: .relaxed) }
        func stop() { flag.store(true, ordering: .relaxed) }
    }

    /// Clears the progress line and ends with the survey's exit status.
    func finish(found: Int) throws {
        progress?.finish()
        let (problems, skipped) = state.withLock { ($0.problems, $0.skipped) }
        if found == 0 {
            printError("qcowscope: no qcow2 image found")
            throw ExitCode(ExitStatus.nothingUseful)
        }
        if problems + skipped > 0 {
            printError("qcowscope: \(found) images: \(problems) damaged, leaking or unreadable, \(skipped) paths skipped")
            throw ExitCode(ExitStatus.incomplete)
        }
    }

    /// One line for a terminal-less run without --json or --csv.
    static func text(_ r: SurveyRecord) -> String {
        func size(_ key: String) -> String { r[key].uint.map(Formatted.humanSize) ?? "?" }
        let path = RawString.escape(r.rawPath)
        if case .string(let error) = r["error"] { return "\(path): cannot be read: \(error.terminalSafe)" }
        let verdict = r.problem == nil ? "clean" : "NOT CLEAN"
        return "\(path): \(size("virtual-size")) virtual, file \(size("file-size")), compacting saves "
            + "\(size("compact-saving-bytes")), fragmentation \(r["score"].line()), \(verdict)"
            + (r["in-use"] == .bool(true) ? ", in use" : "")
    }
}
