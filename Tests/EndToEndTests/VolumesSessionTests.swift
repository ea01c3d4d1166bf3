import Explorer
import Foundation
import TestSupport
import Testing

/// Issue 10 in a real terminal: the header's headline once the guest is read in the background,
/// view 8, Enter to the guest map with the volume layer, `v` toggling it, Esc back, quit with
/// status 0 and the image unchanged.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && TmuxSession.binary != nil, "needs tmux and the built binary"))
struct VolumesSessionTests {
    @Test func volumesViewEnterAndLayerToggle() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qcowscope-e2e-volumes-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = dir.appendingPathComponent("gpt.qcow2")
        try FileManager.default.copyItem(at: ExplorerSessionTests.root.appendingPathComponent("Tests/Fixtures/guest/gpt.qcow2"), to: image)
        let before = Fingerprint.take([image])
        let binary = try #require(TmuxSession.binary)
        let tmux = try TmuxSession(command: [binary, image.path], width: 120, height: 40, directory: dir)

        var screen = try tmux.waitFor("468 KiB file · 19.8 MiB reclaimable in the guest")
        #expect(screen.contains("guest space"), "header: \(screen)")

        try tmux.send("8")
        screen = try tmux.waitFor("Volumes · gpt.qcow2", "Free space by extent size")
        #expect(screen.contains("ext4") && screen.contains("vfat") && screen.contains("swap"), "volumes: \(screen)")

        try tmux.send("Down", "Enter")
        screen = try tmux.waitFor("Map · gpt.qcow2", "free, allocated (reclaimable)")
        #expect(screen.contains("· volumes"), "layer on after Enter: \(screen)")
        #expect(screen.contains("gpt 2 vfat \"EFI\""), "cursor on the second volume: \(screen)")

        try tmux.send("v")
        screen = try tmux.waitFor("compressed 578")
        #expect(!screen.contains("free, allocated (reclaimable)"), "layer off: \(screen)")
        try tmux.send("v")
        screen = try tmux.waitFor("free, allocated (reclaimable)")

        try tmux.send("Escape")
        screen = try tmux.waitFor("Volumes · gpt.qcow2", "volume 2/3")
        #expect(screen.contains("volume 2/3"), "back on the same row: \(screen)")

        try tmux.send("q")
        #expect(tmux.exitStatus() == 0)
        let changes = Fingerprint.changes(before: before, after: Fingerprint.take([image]))
        #expect(changes.isEmpty, "the image changed: \(changes)")
    }
}
