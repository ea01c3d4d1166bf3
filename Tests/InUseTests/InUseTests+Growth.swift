import Analysis
import Foundation
import Qcow2
import Testing
import TestSupport

extension InUseTests {
    /// Between two `--watch` rounds qemu-io overwrites what a snapshot shares with the disk and
    /// marks a persistent bitmap dirty (closing the image, so the bitmap is written back): the
    /// round says the snapshot's exclusive bytes and the bitmap's dirty bytes grew, and a round
    /// with nothing written between reuses the last scan and says nothing grew.
    @Test func watchRoundsSayWhatGrew() throws {
        let (directory, image) = try Self.makeImage()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for step in [["qemu-io", "-f", "qcow2", "-c", "write -P 1 0 1M", image],
                     ["qemu-img", "snapshot", "-c", "s1", image],
                     ["qemu-img", "bitmap", "--add", image, "b0"]] {
            let out = try Tools.run(step, in: directory)
            try #require(out.status == 0, "\(step): \(out.stderr)")
        }
        let watcher = ImageWatcher(image: try Qcow2Image(path: image))
        let first = try watcher.next()
        let exclusive = try #require(first.snapshotExclusive.first?.bytes)
        #expect(first.bitmapDirty.first?.bytes == 0)

        let write = try Tools.run(["qemu-io", "-f", "qcow2", "-c", "write -P 2 0 512K", image], in: directory)
        try #require(write.status == 0, "\(write.stderr)")
        let second = try watcher.next()
        #expect(!second.reused)
        // The 512 KiB the snapshot no longer shares, and the L2 table QEMU copied on write.
        let growth = try #require(second.snapshotExclusive.first?.growth)
        #expect(growth >= 512 << 10 && second.snapshotExclusive.first?.bytes == exclusive + UInt64(growth), "\(second.line)")
        #expect((second.bitmapDirty.first?.growth ?? 0) >= 512 << 10, "\(second.line)")
        #expect(second.newClusterCount > 0 && second.fileGrowth > 0)
        #expect(second.line.contains("snapshot[1].exclusive-growth=\(growth)"), "\(second.line)")

        let third = try watcher.next()
        #expect(third.reused && third.newClusterCount == 0 && third.fileGrowth == 0)
        #expect(third.snapshotExclusive.first?.growth == 0 && third.bitmapDirty.first?.growth == 0)
    }
}
