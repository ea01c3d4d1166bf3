import Foundation
import Guest
import Qcow2
import Testing

/// The ext and XFS fuzzer seeds (Fuzz/seeds/guest-ext*.img, guest-xfs-v*.img, made by
/// Fuzz/make-guest-seeds.sh) reach the free-map walks: the ext volumes are whole filesystems, the
/// XFS ones the first 128 KiB of a 300 MiB filesystem (AG 0's headers and tree roots).
struct FilesystemSeedTests {
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fuzz/seeds").standardizedFileURL.path

    private func read(_ name: String) throws -> FilesystemInfo {
        let volume = VolumeReader(source: try ReadOnlyFile(path: Self.seeds + "/" + name))
        return FilesystemProbe.read(volume)
    }

    @Test func extSeedsAreWholeFilesystems() throws {
        for (name, kind) in [("guest-ext2.img", FilesystemKind.ext2), ("guest-ext4.img", .ext4)] {
            let info = try read(name)
            #expect(info.kind == kind, "\(name)")
            #expect(info.isAnalysed && info.findings.isEmpty, "\(name): \(info.findings)")
            #expect((info.freeBlocks ?? 0) > 0 && !info.freeExtents.isEmpty, "\(name)")
        }
    }

    @Test func xfsSeedsReachTheFreeSpaceTrees() throws {
        for (name, version) in [("guest-xfs-v4.img", "v4"), ("guest-xfs-v5.img", "v5")] {
            let info = try read(name)
            #expect(info.kind == .xfs, "\(name)")
            #expect(info.details.contains { $0 == ("version", version) }, "\(name)")
            #expect(info.isAnalysed && info.possiblyStale, "\(name)")
            #expect(info.findings.contains { $0.message.contains("run past the end of its volume") }, "\(name)")
            #expect(info.details.contains { $0.0 == "free-space B+tree blocks" && $0.1 != "0" }, "\(name)")
        }
    }
}
