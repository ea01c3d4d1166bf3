import Foundation
import Reports
import Testing
import TestSupport

/// `qcowscope vet` as a service runs it: exit 0 safe, 3 unsafe, 2 damaged, 1 unreadable, and the
/// JSON keys of issue 17 in that order.
@Suite struct VetCommandTests {
    static let available = QcowscopeBinary.path != nil

    private func vet(_ arguments: [String]) throws -> Tools.Output { try QcowscopeBinary.run(["vet"] + arguments) }

    @Test(.enabled(if: available)) func exitStatuses() throws {
        let images = FixturePaths.root + "/images/"
        #expect(try vet([images + "v3.qcow2"]).status == 0)
        #expect(try vet([images + "chain-top.qcow2"]).status == 3)
        #expect(try vet([images + "corrupt-flag.qcow2"]).status == 2)
        let missing = try vet([images + "no-such-file.qcow2"])
        #expect(missing.status == 1 && missing.stdout.isEmpty && !missing.stderr.isEmpty)
        #expect(try vet(["--max-virtual-size", "64K", images + "v3.qcow2"]).status == 3)
        #expect(try vet(["--max-virtual-size", "lots", images + "v3.qcow2"]).status == 64)
    }

    @Test(.enabled(if: available)) func jsonShape() throws {
        let out = try vet(["--json", FixturePaths.root + "/images/chain-top.qcow2"])
        #expect(out.status == 3)
        let json = try JSONParser.parse(out.stdout)
        guard case .object(let top) = json else { Issue.record("not an object: \(out.stdout)"); return }
        #expect(top.map(\.0) == ["filename", "verdict", "reasons"])
        #expect(json["verdict"] == .string("unsafe"))
        guard case .array(let reasons)? = json["reasons"], case .object(let first)? = reasons.first else {
            Issue.record("no reasons in \(out.stdout)"); return
        }
        #expect(first.map(\.0) == ["code", "severity", "structure", "offset", "message"])
        #expect(reasons.contains { $0["code"] == .string("backing-file") })
    }

    @Test(.enabled(if: available)) func sizeSuffixes() throws {
        let v3 = FixturePaths.root + "/images/v3.qcow2"
        for size in ["4M", "4m", "4194304", "1G", "2T"] { #expect(try vet(["--max-virtual-size", size, v3]).status == 0, "\(size)") }
        #expect(try vet(["--max-virtual-size", "4095K", v3]).status == 3)
    }
}
