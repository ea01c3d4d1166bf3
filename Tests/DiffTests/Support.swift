import Qcow2
import Analysis
import Foundation
import Testing
import TestSupport

/// A scratch directory with images made by qemu-img/qemu-io, removed when the test ends.
struct Scratch {
    let path: String

    init() throws { path = try Tools.temporaryDirectory("qcowscope-diff") }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// Runs each command line (words split on spaces; `|` stands for a space inside a word).
    func run(_ lines: [String]) throws {
        for line in lines {
            let words = line.split(separator: " ").map { $0.replacingOccurrences(of: "|", with: " ") }
            let result = try Tools.run(words, in: path)
            guard result.status == 0 else { throw DiffSetupFailure(description: "\(line): \(result.stderr)") }
        }
    }

    /// Exports a state of `image` to raw the way QEMU reads it and returns its bytes: `active`,
    /// a snapshot name (`-l snapshot.name=`), `backing:1` (the backing file with its own chain),
    /// `file:PATH`.
    func export(_ state: String, image: String = "top.qcow2", backing: String = "base.qcow2") throws -> [UInt8] {
        let out = "export-\(UUID().uuidString).raw"
        var args = ["qemu-img", "convert", "-U", "-O", "raw"]
        switch state {
        case "active": args += [image]
        case "backing:1": args += [backing]
        case let s where s.hasPrefix("file:"): args += [String(s.dropFirst(5))]
        default: args += ["-l", "snapshot.name=\(state)", image]
        }
        let result = try Tools.run(args + [out], in: path)
        guard result.status == 0 else { throw DiffSetupFailure(description: "\(args.joined(separator: " ")): \(result.stderr)") }
        defer { try? FileManager.default.removeItem(atPath: path + "/" + out) }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path + "/" + out)))
    }

    /// The metadata diff (and, with `content`, the refined one) of `image` from `from` to `to`.
    func diff(_ from: String?, _ to: String = "active", image: String = "top.qcow2", content: Bool = false) throws -> MetadataDiff {
        let top = try Qcow2Image(path: path + "/" + image)
        let chain = BackingChain.open(top: top)
        let snapshots = top.readSnapshots().snapshots
        // file: states are named relative to the scratch directory.
        func resolve(_ s: String) throws -> DiffState {
            let spec = s.hasPrefix("file:") ? "file:" + path + "/" + s.dropFirst(5) : s
            return try DiffState.resolve(spec, chain: chain, snapshots: snapshots, limits: DecodingLimits())
        }
        let a = try from.map(resolve) ?? DiffState.defaultFrom(chain: chain, snapshots: snapshots)
        let b = try resolve(to)
        let metadata = try MetadataDiff.compute(from: a, to: b)
        return content ? try metadata.comparingContent(from: a, to: b) : metadata
    }
}

struct DiffSetupFailure: Error, CustomStringConvertible {
    var description: String
}

/// What the issue's oracles say about a diff from raw export `a` to raw export `b`: (1) every
/// 512-byte sector whose bytes differ lies in an extent that is not `rewritten-same`; (2) after
/// `--content`, every extent that is not `rewritten-same` differs in every cluster it touches and
/// every `rewritten-same` one is equal; (3) `zero`/`unallocated` extents read zeros in B.
/// Returns the violations (empty when the diff is right).
func oracleViolations(_ diff: MetadataDiff, a: [UInt8], b: [UInt8], clusterSize: Int) -> [String] {
    var problems: [String] = []
    // A shorter A reads zeros past its end; compared with memcmp (debug builds are slow per byte).
    let a = a.count >= b.count ? a : a + [UInt8](repeating: 0, count: b.count - a.count)
    let zeros = [UInt8](repeating: 0, count: 1 << 16)
    func differs(_ range: Range<Int>) -> Bool {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in
            memcmp(pa.baseAddress! + range.lowerBound, pb.baseAddress! + range.lowerBound, range.count) != 0
        } }
    }
    func isZero(_ range: Range<Int>) -> Bool {
        var g = range.lowerBound
        while g < range.upperBound {
            let n = min(zeros.count, range.upperBound - g)
            let equal = b.withUnsafeBytes { pb in zeros.withUnsafeBytes { pz in memcmp(pb.baseAddress! + g, pz.baseAddress!, n) == 0 } }
            if !equal { return false }
            g += n
        }
        return true
    }
    var covered = [Bool](repeating: false, count: (b.count + 511) / 512)
    for e in diff.extents where e.change != .rewrittenSame {
        for s in Int(e.start) / 512..<min(covered.count, (Int(e.end) + 511) / 512) { covered[s] = true }
    }
    for s in covered.indices where !covered[s] && differs(s * 512..<min(b.count, s * 512 + 512)) {
        problems.append("(1) sector at \(s * 512) differs but is in no changed extent")
        if problems.count > 5 { return problems }
    }
    for e in diff.extents {
        let end = min(b.count, Int(e.end))
        if e.change == .zero || e.change == .unallocated, !isZero(Int(e.start)..<end) {
            problems.append("(3) \(e.change.rawValue) extent \(e.start)+\(e.length) does not read zeros in B")
        }
        guard diff.contentCompared else { continue }
        var g = Int(e.start)
        while g < end {
            let next = min(end, (g / clusterSize + 1) * clusterSize)
            let different = differs(g..<next)
            if e.change == .rewrittenSame && different { problems.append("(2) rewritten-same at \(g) differs") }
            if e.change != .rewrittenSame && !different { problems.append("(2) \(e.change.rawValue) at \(g) is equal") }
            g = next
        }
    }
    return problems
}

/// Whole-buffer equality with memcmp (Array's == compares element by element in debug builds).
func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    a.count == b.count && a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in memcmp(pa.baseAddress!, pb.baseAddress!, a.count) == 0 } }
}
