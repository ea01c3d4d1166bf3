import Foundation
import TestSupport

/// A store made of the fixtures for `survey` to find: images at the top and two levels down, a
/// qcow2 image named `.img`, a text file named `.qcow2`, raw files, a symbolic link back to an
/// ancestor (a loop), one to nowhere, and a second link to an image already found.
struct SurveyTree {
    let root: String
    /// The qcow2 images survey must report, by path under `root`.
    let images: [String]

    static func make(only names: [String]? = nil) throws -> SurveyTree {
        let root = try Tools.temporaryDirectory("qcowscope-survey")
        let fixtures = FixturePaths.root + "/images"
        let all = try FileManager.default.contentsOfDirectory(atPath: fixtures).sorted()
        let chosen = names ?? all
        try FileManager.default.createDirectory(atPath: root + "/pool/nested/deeper", withIntermediateDirectories: true)
        var images: [String] = []
        for name in all where chosen.contains(name) || name.hasSuffix(".raw") || name.hasSuffix(".data") {
            try FileManager.default.copyItem(atPath: fixtures + "/" + name, toPath: root + "/pool/" + name)
            if name.hasSuffix(".qcow2") { images.append(root + "/pool/" + name) }
        }
        try FileManager.default.copyItem(atPath: fixtures + "/v3.qcow2", toPath: root + "/pool/nested/deeper/disk.img")
        images.append(root + "/pool/nested/deeper/disk.img")
        try Data("not an image\n".utf8).write(to: URL(fileURLWithPath: root + "/pool/nested/fake.qcow2"))
        try FileManager.default.createSymbolicLink(atPath: root + "/pool/nested/deeper/loop", withDestinationPath: "../..")
        try FileManager.default.createSymbolicLink(atPath: root + "/pool/nested/link.qcow2", withDestinationPath: "deeper/disk.img")
        return SurveyTree(root: root, images: images.sorted())
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}
