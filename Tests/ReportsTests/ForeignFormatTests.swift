import Foundation
import Qcow2
import TestSupport
import Testing

/// A file that is not qcow2 says what it looks like, made by the real tools: "not a qcow2 image:
/// looks like a VMDK sparse extent (KDMV)".
struct ForeignFormatTests {
    static func kind(_ path: String) -> FormatError.Kind? {
        do {
            _ = try Qcow2Image(path: path)
            return nil
        } catch {
            return error.kind
        }
    }

    static let images: [(format: String, options: [String], expected: ForeignFormat)] = [
        ("vmdk", [], .vmdkSparse), ("vhdx", [], .vhdx), ("vpc", [], .vhd), ("vpc", ["-o", "subformat=fixed"], .vhd),
        ("vdi", [], .vdi), ("qed", [], .qed),
        ("luks", ["--object", "secret,id=s,data=x", "-o", "key-secret=s,iter-time=10"], .luks),
    ]

    @Test(.enabled(if: Tools.find("qemu-img") != nil, "needs qemu-img"))
    func otherImageFormats() throws {
        let dir = try Tools.temporaryDirectory("qcowscope-foreign")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (format, options, expected) in Self.images {
            let path = dir + "/disk.\(format)"
            try? FileManager.default.removeItem(atPath: path)
            let made = try Tools.run(["qemu-img", "create", "-q", "-f", format] + options + [path, "1M"], in: dir)
            try #require(made.status == 0, "qemu-img create -f \(format): \(made.stderr)")
            guard case .badMagic(_, let foreign)? = Self.kind(path) else { Issue.record("\(format): \(String(describing: Self.kind(path)))"); continue }
            #expect(foreign == expected, "\(format)")
        }
    }

    @Test(.enabled(if: Tools.find("mkfs.ext4") != nil && Tools.find("sfdisk") != nil && Tools.find("mkfs.vfat") != nil,
                   "needs mkfs.ext4, sfdisk and mkfs.vfat"))
    func rawDisksAndFilesystems() throws {
        let dir = try Tools.temporaryDirectory("qcowscope-foreign")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cases: [(String, ForeignFormat?)] = [
            ("truncate -s 8M d && mkfs.ext4 -q -F d", .filesystem("ext2/3/4")),
            ("truncate -s 8M d && mkfs.vfat d >/dev/null", .filesystem("FAT")),
            ("truncate -s 8M d && echo 'label: gpt' | sfdisk -q d", .gptDisk),
            ("truncate -s 8M d && echo 'label: dos' | sfdisk -q d", .mbrDisk),
            ("truncate -s 8M d", nil),
        ]
        for (command, expected) in cases {
            try? FileManager.default.removeItem(atPath: dir + "/d")
            let made = try Tools.shell(command, in: dir)
            try #require(made.status == 0, "\(command): \(made.stderr)")
            guard case .badMagic(_, let foreign)? = Self.kind(dir + "/d") else { Issue.record("\(command): not bad magic"); continue }
            #expect(foreign == expected, "\(command)")
        }
    }
}
