import Analysis
import ArgumentParser
import Dispatch
import Qcow2
#if canImport(Glibc)
import Glibc
#endif

extension ExploreCommand {
    /// `--watch` without a terminal: one `key=value` line per round (``WatchRound/line``), every
    /// `seconds`, until interrupted or `--watch-count` rounds have run.
    func watchLines(_ path: String, every seconds: Double) throws {
        let rawPath = ImageOptions.rawArgument(path)
        let watcher: ImageWatcher
        do {
            let image = try Qcow2Image(file: try ImageOptions.source(rawPath: rawPath), limits: ImageOptions.limits(noBacking: noBacking, followAnywhere: followBackingAnywhere))
            watcher = ImageWatcher(image: image)
        } catch {
            printError("qcowscope: \(RawString.escape(rawPath)): \(error.description)")
            throw ExitCode(ExitStatus.nothingUseful)
        }
        var round = 0
        while watchCount.map({ round < $0 }) ?? true {
            if round > 0 { Self.sleep(seconds) }
            round += 1
            do {
                FileDescriptorWriter.write(try watcher.next().line + "\n", to: 1)
            } catch {
                printError("qcowscope: \(RawString.escape(rawPath)): \(error)")
                throw ExitCode(ExitStatus.nothingUseful)
            }
        }
    }

    /// Sleeps `seconds` (usleep refuses a second or more).
    static func sleep(_ seconds: Double) {
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        var rest = timespec()
        while nanosleep(&request, &rest) != 0 && errno == EINTR { request = rest }
    }
}
