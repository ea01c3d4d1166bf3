import Foundation
import TestSupport
import Testing

/// The picture paths over damaged images: a sample of the mutation corpus (Tests/Mutations) drawn
/// as `render --format png`, `layout --picture` and `map --picture --curve hilbert`. No signal,
/// no hang, an exit status of the policy (0–3), and whenever a picture is written it is a PNG
/// that decodes. (The hostile suite's harness checks printed reports; pictures go to files.)
@Suite(.enabled(if: PictureTools.binary != nil)) struct HostilePictureTests {
    static let corpus = PictureTools.repository.appendingPathComponent("Tests/Mutations/corpus").path

    /// Every 25th corpus image, so the sample stays small but spans the mutation kinds.
    static var sample: [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).filter { $0.hasSuffix(".qcow2") }.sorted()
        return stride(from: 0, to: names.count, by: 25).map { corpus + "/" + names[$0] }
    }

    @Test func damagedImagesGiveAPictureOrAReason() throws {
        let images = Self.sample
        #expect(images.count >= 5)
        let dir = try Tools.temporaryDirectory("qcowscope-pictures")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/out.png"
        for image in images {
            for arguments in [["render", image, "--view", "layout", "--size", "80x24", "--format", "png", "--output", out],
                              ["layout", image, "--picture", out], ["map", image, "--picture", out, "--curve", "hilbert"]] {
                try? FileManager.default.removeItem(atPath: out)
                let result = try Subprocess.run("/usr/bin/timeout", ["-s", "KILL", "30", PictureTools.binary ?? "/bin/false"] + arguments)
                let line = arguments.joined(separator: " ")
                #expect((0...3).contains(result.status), "\(line): status \(result.status) \(result.stderrText.prefix(200))")
                if result.status == 0 || result.status == 2, FileManager.default.fileExists(atPath: out) {
                    #expect(throws: Never.self, "\(line): not a PNG") { try PNGReader(PictureTools.read(out)) }
                }
                if result.status == 1 { #expect(!result.stderrText.isEmpty, "\(line): status 1 without a reason") }
            }
        }
    }
}
