import Analysis
import Foundation
import Qcow2
import Testing
import TestSupport

/// The codes are a contract: every one is in the README's table for service operators and in
/// `vet --help` (which the man page is made from), and every kind of damage `check` reports has
/// a code of the same name, so a new finding kind cannot slip past vet unnamed.
@Suite struct VetCodeCatalogTests {
    @Test func everyCodeIsInTheREADMETable() throws {
        let readme = try String(contentsOfFile: FixturePaths.root + "/../../README.md", encoding: .utf8)
        let start = try #require(readme.range(of: "### Vetting uploads"))
        let section = readme[start.upperBound...]
        let end = section.range(of: "\n### ")?.lowerBound ?? section.endIndex
        let table = section[..<end].split(separator: "\n").filter { $0.hasPrefix("| `") }
        for code in UploadVet.Code.allCases {
            #expect(table.contains { $0.contains("`\(code.rawValue)`") }, "\(code.rawValue) is not in the README's table")
        }
    }

    @Test(.enabled(if: QcowscopeBinary.path != nil)) func everyCodeIsInTheHelp() throws {
        let help = try QcowscopeBinary.run(["vet", "--help"]).stdout
        let flat = help.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        for code in UploadVet.Code.allCases {
            #expect(flat.contains(" \(code.rawValue),") || flat.contains(" \(code.rawValue)."), "\(code.rawValue) is not in vet --help")
        }
    }

    @Test func everyDamageKindHasACode() {
        for kind in Finding.Kind.allCases where kind != .image && kind != .guest {
            #expect(UploadVet.Code(rawValue: kind.rawValue) != nil, "check's kind \(kind.rawValue) has no vet code")
        }
    }
}
