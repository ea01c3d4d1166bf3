import Analysis
import Foundation
import Qcow2
import Testing
import TestSupport

/// `vet` against `check` on every image of the mutation corpus (Tests/Mutations/corpus): an image
/// the check finds corrupt, or cannot check, is never called safe.
@Suite struct VetCorpusTests {
    static let corpus = FixturePaths.root + "/../Mutations/corpus"

    @Test func neverSafeWhereCheckFindsDamage() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus).filter { $0.hasSuffix(".qcow2") }.sorted()
        #expect(names.count > 100)
        var vetted = 0
        for name in names {
            let path = Self.corpus + "/" + name
            let vet = UploadVet.vet(try ReadOnlyFile(path: path))
            vetted += 1
            guard let image = try? Qcow2Image(path: path) else {
                #expect(vet.verdict != .safe, "\(name): qcowscope cannot open it, yet vet says safe")
                continue
            }
            guard let analysis = try? ImageAnalysis.scan(image) else {
                #expect(vet.verdict != .safe, "\(name): the scan cannot run, yet vet says safe")
                continue
            }
            let check = analysis.check
            if check.corruptions > 0 || check.checkErrors > 0 {
                #expect(vet.verdict != .safe, "\(name): check finds \(check.corruptions) corruptions, \(check.checkErrors) check errors, vet says safe")
            }
        }
        #expect(vetted == names.count)
    }
}
