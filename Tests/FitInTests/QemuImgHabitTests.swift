import Foundation
import Testing
import TestSupport

/// qemu-img's spellings (`--output=json|human`, `-f qcow2`, `-U`, `--image-opts`) give exactly what
/// the native flags give, on every command that has `--json`; anything else is refused by name.
@Suite struct QemuImgHabitTests {
    /// Each command with --json, and a fixture it has something to say about.
    static let commands: [(command: String, image: String)] = [
        ("info", "v3.qcow2"), ("map", "v3.qcow2"), ("check", "corrupt-leak.qcow2"), ("layout", "v3.qcow2"),
        ("frag", "v3.qcow2"), ("snapshots", "snapshots.qcow2"), ("space", "v3.qcow2"),
        ("bitmaps", "bitmaps.qcow2"), ("diff", "snapshots.qcow2"), ("vet", "chain-top.qcow2"),
    ]

    static let images = "Tests/Fixtures/images/"

    @Test(arguments: commands)
    func habitsGiveTheNativeOutput(command: String, image: String) throws {
        let path = Self.images + image
        let native = try FitIn.run([command, path])
        let json = try FitIn.run([command, path, "--json"])
        #expect(json.stdout.hasPrefix("{") || json.stdout.hasPrefix("["))
        for variant in [[command, "--output=json", path], [command, "--output", "json", path]] {
            #expect(try FitIn.run(variant).same(as: json), "\(variant)")
        }
        for variant in [[command, "--output=human", path], [command, "-U", "-f", "qcow2", path],
                        [command, "-fqcow2", "--force-share", path],
                        [command, "--image-opts", "driver=qcow2,file.driver=file,file.filename=\(path)"]] {
            #expect(try FitIn.run(variant).same(as: native), "\(variant)")
        }
    }

    /// survey takes directories, not an image, and has --output too.
    @Test func surveyTakesOutputJSON() throws {
        let json = try FitIn.run(["survey", "--jobs", "1", "--json", Self.images + "v3.qcow2"])
        #expect(json.stdout.hasPrefix("{"))
        #expect(try FitIn.run(["survey", "--jobs", "1", "--output=json", Self.images + "v3.qcow2"]).same(as: json))
    }

    @Test func otherFormatsAreRefusedByName() throws {
        let raw = try FitIn.run(["info", "-f", "raw", Self.images + "v3.qcow2"])
        #expect(raw.status == 64)
        #expect(raw.stdout.isEmpty)
        #expect(raw.stderr.contains("reads only qcow2 images; '-f raw' is not supported"))
        let driver = try FitIn.run(["check", "--image-opts", "driver=vmdk,file.filename=\(Self.images)v3.qcow2"])
        #expect(driver.status == 64)
        #expect(driver.stderr.contains("'driver=vmdk' is not supported"))
        let both = try FitIn.run(["map", "-f", "qcow2", "--image-opts", "driver=qcow2,file.filename=x"])
        #expect(both.stderr.contains("--image-opts and -f cannot be used together"))
        let missing = try FitIn.run(["info", "--image-opts", "driver=qcow2"])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("no file.filename"))
        #expect(try FitIn.run(["info", "--output=xml", Self.images + "v3.qcow2"]).status == 64)
    }

    /// qemu-img needs the LUKS key to open an encrypted image; qcowscope reads the metadata without
    /// it, so the secret is ignored with one note and the output is what it is without it.
    @Test func aKeySecretIsIgnoredWithANote() throws {
        let path = Self.images + "luks.qcow2"
        let native = try FitIn.run(["info", path])
        let opts = try FitIn.run(["info", "--image-opts", "driver=qcow2,file.filename=\(path),encrypt.key-secret=sec0"])
        #expect(opts.stdout == native.stdout)
        #expect(opts.status == native.status)
        #expect(opts.stderr.components(separatedBy: "ignoring encrypt.key-secret").count == 2)
    }

    /// `,,` is a comma inside a value, as in qemu's option strings.
    @Test func aDoubledCommaIsAComma() throws {
        let directory = try Tools.temporaryDirectory("qcowscope-fitin")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let odd = directory + "/a,b.qcow2"
        try FileManager.default.copyItem(atPath: FitIn.root + "/" + Self.images + "v3.qcow2", toPath: odd)
        let result = try FitIn.run(["info", "--image-opts", "driver=qcow2,file.filename=\(odd.replacingOccurrences(of: ",", with: ",,"))"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("a,b.qcow2"))
    }
}
