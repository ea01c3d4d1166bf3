import Foundation
import Testing
@testable import Reports
import Qcow2
import TestSupport

/// `info --json` against qemu-img's own answers stored in Tests/Fixtures/expected (made by
/// make-fixtures.sh with qemu-img 7.2, run inside images/ with relative names).
@Suite struct InfoFixtureTests {
    static let root: String = {
        let parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).dropLast(2)
        return parts.joined(separator: "/") + "/Fixtures"
    }()

    static var infoFixtures: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/expected")) ?? []
        return names.filter { $0.hasSuffix(".info.json") }.map { String($0.dropLast(".info.json".count)) }.sorted()
    }

    static func expected(_ file: String) throws -> JSONValue {
        try JSONParser.parse(String(contentsOfFile: root + "/expected/" + file, encoding: .utf8))
    }

    static func open(_ name: String) throws -> Qcow2Image { try Qcow2Image(path: root + "/images/" + name) }

    @Test(arguments: infoFixtures)
    func qemuKeysMatch(name: String) throws {
        let image = try Self.open(name + ".qcow2")
        let report = InfoReport(image: image, filename: name + ".qcow2")
        let ours = report.qemuJSON()
        let qemu = try Self.expected(name + ".info.json")
        // actual-size depends on how the file was written (a git checkout makes holes): ours must be
        // st_blocks × 512 of the file as it is here.
        let differences = jsonDifferences(removingKey("actual-size", from: ours), removingKey("actual-size", from: qemu))
        #expect(differences.isEmpty, "\(name): \(differences.joined(separator: "; "))")
        if case .success(let status) = FileStatus.of(path: image.path) {
            #expect(ours["actual-size"] == .uint(status.allocatedBytes))
        }
        #expect(keyOrders(ours) == keyOrders(qemu), "\(name): key order differs from qemu-img")
    }

    @Test(arguments: ["chain-top", "chain-mid"])
    func backingChainMatches(name: String) throws {
        let chain = BackingChain.open(top: try Self.open(name + ".qcow2"))
        let reports = InfoReport.chain(chain, filename: name + ".qcow2")
        let ours = InfoReport.qemuChainJSON(reports)
        let qemu = try Self.expected(name + ".info-chain.json")
        let differences = jsonDifferences(removingKey("actual-size", from: ours), removingKey("actual-size", from: qemu))
        #expect(differences.isEmpty, "\(differences.joined(separator: "; "))")
        #expect(keyOrders(ours) == keyOrders(qemu))
    }

    @Test func fullJSONAddsOurKeysAfterQemus() throws {
        let report = InfoReport(image: try Self.open("bitmaps.qcow2"), filename: "bitmaps.qcow2")
        guard case .object(let pairs) = report.json() else { Issue.record("not an object"); return }
        let keys = pairs.map(\.0)
        #expect(keys.suffix(4) == ["header", "header-extensions", "features", "findings"])
        let header = try #require(report.json()["header"])
        #expect(header["l1_table_offset"]?["offset"] == .uint(40))
        #expect(header["compression_type"]?["size"] == .uint(1))
        guard case .array(let extensions)? = report.json()["header-extensions"] else { Issue.record("no extensions"); return }
        #expect(extensions.contains { $0["name"] == .string("bitmaps") && $0["type"] == .uint(0x2385_2875) })
        guard case .array(let features)? = report.json()["features"] else { Issue.record("no features"); return }
        #expect(features.contains { $0["kind"] == .string("autoclear") && $0["name"] == .string("bitmaps") && $0["known"] == .bool(true) })
        // The rendering parses back to the same value.
        #expect(try JSONParser.parse(report.json().rendered()) == report.json())
    }

    @Test func findingsAppearInJSONAndText() throws {
        let report = InfoReport(image: try Self.open("corrupt-flag.qcow2"), filename: "corrupt-flag.qcow2")
        #expect(report.qemuJSON()["format-specific"]?["data"]?["corrupt"] == .bool(true))
        let bitmaps = InfoReport(image: try Self.open("bitmaps-inuse.qcow2"), filename: "x")
        let flags = bitmaps.qemuJSON()["format-specific"]?["data"]?["bitmaps"]
        #expect(flags == .array([jsonObject([("flags", .array([.string("in-use"), .string("auto")])),
                                             ("name", .string("open")), ("granularity", .uint(65536))])]))
    }
}
