import Foundation
import Reports
import Testing
import TestSupport

/// One finding type, one JSON shape: a finding of `check` and a guest finding of `space` carry
/// the same keys in the same order (`cluster` only where the finder knew the host cluster).
@Suite(.enabled(if: SpaceBinary.path != nil)) struct FindingShapeTests {
    static let keys = ["kind", "structure", "offset", "cluster", "severity", "counts-as", "message"]

    static func firstFinding(_ arguments: [String]) throws -> [String] {
        let run = try SpaceBinary.run(arguments)
        let json = try JSONParser.parse(run.stdout)
        let finding = try #require(json["findings"]?.items.first, "\(arguments): \(run.stderr)")
        guard case .object(let pairs) = finding else { Issue.record("a finding is not an object"); return [] }
        return pairs.map(\.0)
    }

    @Test func checkAndGuestFindingsShareOneShape() throws {
        let check = try Self.firstFinding(["check", "--json", SpaceFixtures.root + "/images/corrupt-leak.qcow2"])
        let guest = try Self.firstFinding(["space", "--json", SpaceFixtures.root + "/guest/garbage.qcow2"])
        #expect(check == Self.keys)
        #expect(guest == Self.keys.filter { $0 != "cluster" })
    }
}
