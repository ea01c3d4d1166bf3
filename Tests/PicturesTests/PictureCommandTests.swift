import Foundation
@testable import Pictures
import TestSupport
import Testing

/// The command line: `render --format png|svg`, `layout --picture` and `map --picture` on the
/// real binary — sizes, the same bytes twice, ImageMagick reading them, and the image never
/// written over.
@Suite(.enabled(if: PictureTools.binary != nil)) struct PictureCommandTests {
    static let demo = PictureTools.repository.appendingPathComponent("Demo/demo.qcow2").path

    func qcowscope(_ arguments: [String]) throws -> Subprocess.Output {
        try Subprocess.run(PictureTools.binary ?? "/bin/false", arguments)
    }

    @Test func renderWritesAPNGOfTheScreen() throws {
        let dir = try Tools.temporaryDirectory("qcowscope-pictures")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var outputs: [[UInt8]] = []
        for name in ["a.png", "b.png"] {
            let result = try qcowscope(["render", Self.demo, "--view", "host", "--size", "100x30", "--format", "png", "--output", dir + "/" + name])
            #expect(result.status == 0, "\(result.stderrText)")
            outputs.append(try PictureTools.read(dir + "/" + name))
        }
        #expect(outputs[0] == outputs[1])
        let decoded = try PNGReader(outputs[0])
        #expect(decoded.width == 100 * 9 && decoded.height == 30 * 18)
        if Tools.find("identify") != nil {
            let identify = try PictureTools.run("identify", ["-regard-warnings", "-format", "%m %w %h", dir + "/a.png"])
            #expect(identify.stdoutText == "PNG 900 540")
        }
    }

    @Test func renderWritesSVGText() throws {
        let result = try qcowscope(["render", Self.demo, "--view", "header", "--size", "80x24", "--format", "svg"])
        #expect(result.status == 0)
        #expect(result.stdoutText.hasPrefix("<?xml") && result.stdoutText.contains("width=\"720\" height=\"432\""))
        #expect(result.stdoutText.contains("demo.qcow2"))
    }

    @Test func theImageIsNeverTheOutput() throws {
        let dir = try Tools.temporaryDirectory("qcowscope-pictures")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let copy = dir + "/copy.qcow2"
        try FileManager.default.copyItem(atPath: Self.demo, toPath: copy)
        let before = try PictureTools.read(copy)
        for arguments in [["render", copy, "--format", "png", "--output", copy], ["layout", copy, "--picture", copy],
                          ["map", copy, "--picture", dir + "/../" + dir.split(separator: "/").last! + "/copy.qcow2"]] {
            let result = try qcowscope(arguments)
            #expect(result.status != 0 && result.stderrText.contains("never writes to an image"), "\(arguments)")
        }
        #expect(try PictureTools.read(copy) == before)
        // Nor any other qcow2 image.
        let other = dir + "/other.qcow2"
        try FileManager.default.copyItem(atPath: Self.demo, toPath: other)
        let result = try qcowscope(["render", copy, "--format", "svg", "--output", other])
        #expect(result.status != 0 && result.stderrText.contains("is a qcow2 image"))
        #expect(try PictureTools.read(other) == before)
    }

    @Test(arguments: ["layout", "map"])
    func pictureAndJSONDoNotMix(command: String) throws {
        let result = try qcowscope([command, Self.demo, "--picture", "/dev/null", "--json"])
        #expect(result.status != 0 && result.stderrText.contains("leave out --json"))
    }

    @Test(arguments: ["layout", "map"])
    func mapPicturesAreTheSameBytesTwice(command: String) throws {
        let dir = try Tools.temporaryDirectory("qcowscope-pictures")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var outputs: [[UInt8]] = []
        for name in ["a.png", "b.png"] {
            let result = try qcowscope([command, Self.demo, "--picture", dir + "/" + name, "--curve", "hilbert", "--width", "128"])
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(result.stdoutText.isEmpty)
            outputs.append(try PictureTools.read(dir + "/" + name))
        }
        #expect(outputs[0] == outputs[1])
        #expect(try PNGReader(outputs[0]).width > 128)
    }
}
