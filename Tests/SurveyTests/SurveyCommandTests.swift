import Foundation
import Reports
import Testing
import TestSupport

/// `qcowscope survey` as a process over a tree made of the fixtures: every qcow2 image found once
/// whatever its name, no loop followed; each NDJSON record equal to what `check --json`,
/// `info --json` and `frag --json` say of that image; the CSV with the same columns; the exit status.
@Suite(.enabled(if: QcowscopeBinary.path != nil)) struct SurveyCommandTests {
    /// Record keys and where the single-image commands print the same value.
    static let checkKeys = ["check-errors", "corruptions", "leaks"]
    static let infoKeys = ["virtual-size", "actual-size", "cluster-size", "dirty-flag"]
    static let fragKeys = ["file-size", "score", "band", "compact-size"]

    static func records(_ stdout: String) throws -> [String: JSONValue] {
        var byPath: [String: JSONValue] = [:]
        for line in stdout.split(separator: "\n") {
            let record = try JSONParser.parse(String(line))
            let path = try #require(record["path"]?.string)
            #expect(byPath[path] == nil, "\(path) reported twice")
            byPath[path] = record
        }
        return byPath
    }

    @Test func recordsEqualTheSingleImageReports() throws {
        let tree = try SurveyTree.make()
        defer { tree.remove() }
        let run = try QcowscopeBinary.run(["survey", "--json", "--jobs", "2", tree.root + "/pool"])
        #expect(run.status == 2, "damaged fixtures are in the tree: \(run.stderr)")
        let records = try Self.records(run.stdout)
        #expect(records.keys.sorted() == tree.images, "found by magic, not name; the loop and the second link add nothing")
        #expect(run.stderr.contains("corrupt-leak.qcow2"), "damaged images are named on stderr")
        #expect(!run.stderr.contains("fake.qcow2"), "a file without the magic is no image and no problem")

        for (path, record) in records {
            guard case .object(let pairs) = record else { Issue.record("\(path): not an object"); continue }
            #expect(pairs.map(\.0) == SurveyRecord.columns)
            let check = try JSONParser.parse(QcowscopeBinary.run(["check", "--json", path]).stdout)
            let info = try JSONParser.parse(QcowscopeBinary.run(["info", "--json", path]).stdout)
            let frag = try JSONParser.parse(QcowscopeBinary.run(["frag", "--json", path]).stdout)
            for key in Self.checkKeys {
                // check --json leaves zero counters out, as qemu-img does.
                #expect(record[key] == (check[key] ?? .uint(0)), "\(path) \(key)")
            }
            for key in Self.infoKeys { #expect(record[key] == info[key], "\(path) \(key)") }
            #expect(record["compat"] == info["format-specific"]?["data"]?["compat"], "\(path) compat")
            for key in Self.fragKeys { #expect(record[key] == frag[key], "\(path) \(key)") }
            #expect(record["in-use"] == .bool(false))
            if let leaks = record["leaks"]?.uint, let cluster = record["cluster-size"]?.uint {
                #expect(record["leaked-bytes"] == .uint(leaks * cluster))
            }
        }
        let snapshots = try #require(records.first { $0.key.hasSuffix("/snapshots.qcow2") }?.value)
        let report = try JSONParser.parse(QcowscopeBinary.run(["snapshots", "--json", tree.root + "/pool/snapshots.qcow2"]).stdout)
        let exclusive = (report["snapshots"]?.items ?? []).compactMap { $0["exclusive-bytes"]?.uint }
        #expect(snapshots["snapshot-count"] == .uint(UInt64(exclusive.count)))
        #expect(snapshots["snapshot-exclusive-bytes"] == .uint(exclusive.reduce(0, +)))
        let top = try #require(records.first { $0.key.hasSuffix("/chain-top.qcow2") }?.value)
        #expect(top["backing-chain-depth"] == .uint(2))
        #expect(top["backing-chain-complete"] == .bool(true))
    }

    @Test func csvHasTheSameColumns() throws {
        let tree = try SurveyTree.make(only: ["v3.qcow2", "snapshots.qcow2", "zlib.qcow2"])
        defer { tree.remove() }
        let csv = try QcowscopeBinary.run(["survey", "--csv", tree.root])
        let json = try QcowscopeBinary.run(["survey", "--json", tree.root])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == SurveyRecord.columns.joined(separator: ","))
        #expect(lines.count == tree.images.count + 1)
        let records = try Self.records(json.stdout)
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == SurveyRecord.columns.count, "\(line)")
            let record = try #require(records[fields[0]])
            for (key, field) in zip(SurveyRecord.columns, fields) {
                let expected: String = switch record[key] {
                case .string(let s)?: s
                case .null?, nil: ""
                case let value?: value.line()
                }
                #expect(field == expected, "\(fields[0]) \(key)")
            }
        }
    }

    @Test func exitStatus() throws {
        let clean = try SurveyTree.make(only: ["v3.qcow2", "zstd.qcow2"])
        defer { clean.remove() }
        let ok = try QcowscopeBinary.run(["survey", "--json", clean.root])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stderr.isEmpty)

        let empty = try Tools.temporaryDirectory("qcowscope-survey-empty")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        try Data("text".utf8).write(to: URL(fileURLWithPath: empty + "/a.qcow2"))
        let nothing = try QcowscopeBinary.run(["survey", "--json", empty])
        #expect(nothing.status == 1)
        #expect(nothing.stdout.isEmpty)

        // A link to nowhere and a directory that cannot be read: named on stderr, the rest surveyed, 2.
        try FileManager.default.createSymbolicLink(atPath: clean.root + "/dangling.qcow2", withDestinationPath: "/nonexistent/x")
        let broken = try QcowscopeBinary.run(["survey", "--json", clean.root])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("dangling.qcow2"))
        #expect(broken.stdout.split(separator: "\n").count == clean.images.count)
    }

    /// Permissions stop only other users than root: run as nobody when the tests run as root.
    @Test(.enabled(if: getuid() != 0 || Tools.find("setpriv") != nil))
    func unreadableIsSkippedWithANote() throws {
        let tree = try SurveyTree.make(only: ["v3.qcow2"])
        defer { tree.remove() }
        try FileManager.default.copyItem(atPath: tree.root + "/pool/v3.qcow2", toPath: tree.root + "/pool/secret.qcow2")
        chmod(tree.root + "/pool/secret.qcow2", 0)
        chmod(tree.root, 0o755)
        let binary = try #require(QcowscopeBinary.path)
        let asUser = getuid() == 0 ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        let run = try Tools.run(["timeout", "60"] + asUser + [binary, "survey", "--json", tree.root], in: "/")
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("secret.qcow2"))
        #expect(run.stdout.split(separator: "\n").count == tree.images.count)
    }

    /// A backing file outside the surveyed tree is not opened (the reach rule, with the surveyed
    /// root as its boundary) unless --follow-backing-anywhere; one inside it is.
    @Test(.enabled(if: Tools.qemu)) func backingFilesStayInsideTheTree() throws {
        let root = try Tools.temporaryDirectory("qcowscope-survey-reach")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Tools.shell("""
            mkdir -p store/sub outside && qemu-img create -q -f qcow2 outside/base.qcow2 4M \
            && qemu-img create -q -f qcow2 store/base.qcow2 4M \
            && qemu-img create -q -f qcow2 -b ../outside/base.qcow2 -F qcow2 store/escapes.qcow2 \
            && qemu-img create -q -f qcow2 -b ../base.qcow2 -F qcow2 store/sub/inside.qcow2
            """, in: root)
        let fenced = try QcowscopeBinary.run(["survey", "--json", root + "/store"])
        #expect(fenced.status == 2, "\(fenced.stderr)")
        #expect(fenced.stderr.contains("escapes.qcow2") && fenced.stderr.contains("--follow-backing-anywhere"), "\(fenced.stderr)")
        let records = try Self.records(fenced.stdout)
        let escapes = try #require(records[root + "/store/escapes.qcow2"])
        #expect(escapes["backing-chain-depth"] == .uint(1))
        #expect(escapes["backing-chain-complete"] == .null, "not opened, so not known to be there")
        let inside = try #require(records[root + "/store/sub/inside.qcow2"])
        #expect(inside["backing-chain-depth"] == .uint(1))
        #expect(inside["backing-chain-complete"] == .bool(true))

        let anywhere = try QcowscopeBinary.run(["survey", "--json", "--follow-backing-anywhere", root + "/store"])
        #expect(anywhere.status == 0, "\(anywhere.stderr)")
        #expect(try Self.records(anywhere.stdout)[root + "/store/escapes.qcow2"]?["backing-chain-complete"] == .bool(true))
    }
}
