import Foundation
import Synchronization

/// qcowscope under `strace -f -e trace=%file,%network` (Debian's strace), and what a trace shows
/// reaching too far (issue 17): the report commands, every view through `render --view`, and the
/// explorer in a pseudo-terminal. ReachTests run them on local images, RemoteTests on images
/// served by nginx.
public enum StraceRun {
    public static let available = Tools.find("strace") != nil && QcowscopeBinary.path != nil

    /// The report commands every image is run through (the image comes last).
    public static let commands: [[String]] = [
        ["info"], ["info", "--backing-chain"], ["check"], ["map"], ["layout"], ["frag"], ["snapshots"], ["bitmaps"],
        ["space"], ["diff"], ["diff", "--layers"], ["vet"],
    ]

    /// One traced run.
    public struct Run: Sendable {
        public var job: [String]
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var trace: String
        public var command: String { job.joined(separator: " ") }
    }

    /// Runs each job (qcowscope's arguments) under strace in `directory`, several at once, the
    /// traces kept in `logs`; each is killed after 60 seconds.
    public static func trace(_ jobs: [[String]], binary: String, in directory: String, logs: String) throws -> [Run] {
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let results = Mutex<[Run]>([])
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            let log = "\(logs)/\(i).trace"
            let out = try? Tools.run(["timeout", "60", "strace", "-f", "-qq", "-e", "trace=%file,%network", "-o", log,
                                      binary] + jobs[i], in: directory)
            let trace = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            results.withLock { $0.append(Run(job: jobs[i], status: out?.status ?? -1, stdout: out?.stdout ?? "",
                                             stderr: out?.stderr ?? "", trace: trace)) }
        }
        return results.withLock { $0 }
    }

    /// The explorer (the default command) on each image under the same strace: it needs a
    /// terminal, so it runs under `script` (a pseudo-terminal) and is sent `q` once it is up.
    public static func explore(_ images: [String], binary: String, in directory: String, logs: String) throws -> [Run] {
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let results = Mutex<[Run]>([])
        DispatchQueue.concurrentPerform(iterations: images.count) { i in
            let log = "\(logs)/explore-\(i).trace"
            let traced = ["strace", "-f", "-qq", "-e", "trace=%file,%network", "-o", log, binary, "explore", images[i]]
            let line = "(sleep 1; printf q) | TERM=xterm timeout 30 script -qec \(quoted(traced.map(quoted).joined(separator: " "))) /dev/null >/dev/null"
            let status = (try? Tools.run(["sh", "-c", line], in: directory).status) ?? -1
            let trace = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            results.withLock { $0.append(Run(job: ["explore", images[i]], status: status, stdout: "", stderr: "", trace: trace)) }
        }
        return results.withLock { $0 }
    }

    /// `text` as one word for `sh`.
    public static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The explorer views, from `qcowscope render --help` ("The view: header, host, ...").
    public static func views() throws -> [String] {
        let help = try QcowscopeBinary.run(["render", "--help"])
        let flat = (help.stdout + help.stderr).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        guard let start = flat.range(of: "The view:")?.upperBound else { return [] }
        let rest = flat[start...]
        let list = rest[..<(rest.range(of: "(default")?.lowerBound ?? rest.endIndex)]
        return list.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " .")) }
            .filter { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0 == "-" } }
    }

    /// What a trace shows reaching too far: a system call whose path is /etc/passwd, /dev/zero,
    /// ../../x or the file the symbolic link points at (not even a stat: the decision is made
    /// without looking outside), an open of the FIFO (a stat is how it is refused), and any
    /// Internet socket at all — or, for a remote image, any connection or datagram to another
    /// address than its server, `127.0.0.1:serverPort`.
    public static func problems(in trace: String, serverPort: Int? = nil) -> [String] {
        var out: [String] = []
        for line in trace.split(separator: "\n") {
            guard let call = line.split(separator: " ", maxSplits: 1).last, let open = call.firstIndex(of: "(") else { continue }
            let name = call[..<open]
            if line.contains("AF_INET") {
                guard let serverPort else { out.append("uses the network: \(line)"); continue }
                let addressed = ["connect", "sendto", "sendmsg", "sendmmsg"].contains(String(name))
                let server = line.contains("sin_port=htons(\(serverPort))") && line.contains("inet_addr(\"127.0.0.1\")")
                if addressed && !server { out.append("connects elsewhere than its server: \(line)") }
                continue
            }
            guard let path = firstString(in: call[open...]) else { continue }
            if ["/etc/passwd", "/dev/zero", "../../x", "secret.raw"].contains(where: { path.contains($0) }) {
                out.append("looks outside its directory: \(line)")
            } else if path.hasSuffix("pipe.fifo"), name.hasPrefix("open") {
                out.append("opens the FIFO: \(line)")
            }
        }
        return out
    }

    /// The first "quoted" argument of a traced call: its path, for every %file call.
    private static func firstString(in arguments: Substring) -> Substring? {
        guard let start = arguments.firstIndex(of: "\"") else { return nil }
        let rest = arguments[arguments.index(after: start)...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return rest[..<end]
    }
}
