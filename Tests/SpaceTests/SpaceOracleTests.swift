import Guest
import Qcow2
import Analysis
import Foundation
import Reports
import Testing
import TestSupport

/// `space` against the filesystems' own tools on guest disks made by make-guest-fixtures.sh, in
/// every variant (compressed zlib/zstd, 4 KiB and 2 MiB clusters, extended L2, an overlay, a snapshot).
@Suite(.enabled(if: GuestDisks.toolsPresent)) struct SpaceOracleTests {
    /// (a) Each volume's reclaimable bytes equal the count made here from dumpe2fs's free ranges
    /// (and swap's layout) and qemu-img map's data ranges of this file; the breakdown sums to the
    /// file size (c).
    @Test(arguments: GuestDisks.variants)
    func reclaimableMatchesTools(_ name: String) throws {
        let directory = try GuestDisks.directory.get()
        let work = try Tools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let image = try GuestDisks.path(name)
        let raw = work + "/disk.raw"
        try runAll([["qemu-img", "convert", "-O", "raw", image, raw]], in: directory)
        let json = try spaceJSON(image)
        let allocated = try FilesystemOracle.allocated(image, in: directory)
        let unit = try FilesystemOracle.unit(image, in: directory)
        let ours = json["volumes"]?.items ?? []
        var compared = 0
        for volume in try FilesystemOracle.volumes(raw: raw, in: work) {
            guard let free = volume.free else { continue }
            let mine = try #require(ours.first { $0["start"]?.uint == volume.start && $0["table"]?.string != "lvm" },
                                    "\(name): no volume at \(volume.start)")
            let expected = FilesystemOracle.reclaimable(volume: volume, free: free, allocated: allocated, unit: unit)
            #expect(mine["reclaimable-bytes"]?.uint == expected, "\(name): volume at \(volume.start) (\(volume.kind))")
            let inVolume = GuestExtents.intersection(allocated, [GuestExtent(start: volume.start, length: volume.length)])
            #expect(mine["allocated-bytes"]?.uint == GuestExtents.total(inVolume), "\(name): volume at \(volume.start)")
            // Every reported reclaimable byte is free per the tool.
            let outside = GuestExtents.subtracting(GuestExtents.normalised(extents(mine["reclaimable-extents"])), free)
            #expect(outside.isEmpty, "\(name): reclaimable extents outside the free blocks: \(outside.prefix(3))")
            compared += 1
        }
        // The overlay's writes land on the whole-disk ext4's group descriptors: dumpe2fs gives up, as we do.
        #expect(compared > 0 || name == "whole-overlay", "\(name): no volume the tools could check")
        // gpt: ext4 and swap; mbr: XFS and ext2 (the snapshot's writes land in the XFS log).
        if name.hasPrefix("gpt") || (name.hasPrefix("mbr") && !name.hasSuffix("-snap")) {
            #expect(compared >= 2, "\(name): only \(compared) volumes checked")
        }
        let total = ours.reduce(UInt64(0)) { $0 + ($1["reclaimable-bytes"]?.uint ?? 0) }
        #expect(json["reclaimable-bytes"]?.uint == total)
        // Every allocated guest byte is in exactly one volume or outside them all, and the total is qemu-img map's.
        let inVolumes = ours.reduce(UInt64(0)) { $0 + ($1["allocated-bytes"]?.uint ?? 0) }
        #expect(inVolumes + (json["outside-volumes-bytes"]?.uint ?? 0) == GuestExtents.total(allocated), "\(name)")
        #expect(json["allocated-bytes"]?.uint == GuestExtents.total(allocated), "\(name)")
        try expectBreakdownSums(json, name)
    }

    /// (b) Zeroing exactly the reported reclaimable extents in a copy (qemu-io write -z) changes
    /// nothing the filesystems use: the raw disks differ only inside those extents, and e2fsck
    /// finds every ext filesystem as clean as before.
    @Test(arguments: ["gpt-plain", "gpt-4k", "gpt-extl2", "mbr", "whole-2m", "whole-zstd"])
    func zeroingReclaimableKeepsUsedBytes(_ name: String) throws {
        let directory = try GuestDisks.directory.get()
        let work = try Tools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let image = try GuestDisks.path(name)
        let copy = work + "/copy.qcow2"
        try runAll([["cp", image, copy]], in: work)
        let json = try spaceJSON(image)
        let reclaimable = GuestExtents.normalised((json["volumes"]?.items ?? []).flatMap { extents($0["reclaimable-extents"]) })
        #expect(!reclaimable.isEmpty, "\(name): nothing reclaimable on a disk with deleted files")
        for batch in stride(from: 0, to: reclaimable.count, by: 200) {
            let writes = reclaimable[batch..<min(batch + 200, reclaimable.count)].flatMap { ["-c", "write -z \($0.start) \($0.length)"] }
            try runAll([["qemu-io", "-f", "qcow2"] + writes + [copy]], in: work)
        }
        try runAll([["qemu-img", "convert", "-O", "raw", image, work + "/before.raw"],
                    ["qemu-img", "convert", "-O", "raw", copy, work + "/after.raw"]], in: work)
        let before = try ReadOnlyFile(path: work + "/before.raw"), after = try ReadOnlyFile(path: work + "/after.raw")
        var at: UInt64 = 0
        for e in reclaimable + [GuestExtent(start: before.size, length: 0)] {
            if e.start > at {
                let n = Int(e.start - at)
                #expect(try before.readBytes(n, at: at, for: .file) == after.readBytes(n, at: at, for: .file),
                        "\(name): bytes changed outside the reclaimable extents in [\(at), \(e.start))")
            }
            at = e.end
        }
        let beforeVolumes = try FilesystemOracle.volumes(raw: work + "/before.raw", in: (work + "/b").made())
        let afterVolumes = try FilesystemOracle.volumes(raw: work + "/after.raw", in: (work + "/a").made())
        for (b, a) in zip(beforeVolumes, afterVolumes) where b.kind == "ext" {
            let clean = try Tools.run(["e2fsck", "-fn", b.image], in: work).status
            #expect(try Tools.run(["e2fsck", "-fn", a.image], in: work).status == clean, "\(name): ext at \(b.start)")
        }
    }

    /// (c) On every committed fixture (guest disks and the qcow2 fixtures: chains, snapshots,
    /// compressed, damaged, encrypted) the breakdown's categories add up to the file size.
    @Test(arguments: SpaceFixtures.qcow2Images(in: SpaceFixtures.root + "/guest").map { "guest/" + $0 }
                     + SpaceFixtures.qcow2Images(in: SpaceFixtures.root + "/images").map { "images/" + $0 })
    func breakdownSumsToFileSize(_ name: String) throws {
        let path = SpaceFixtures.root + "/" + name
        guard let json = try? spaceJSON(path) else { return }   // unreadable tables: the command exits 1
        try expectBreakdownSums(json, name)
    }
}

func expectBreakdownSums(_ json: JSONValue, _ name: String) throws {
    guard case .object(let categories) = try #require(json["breakdown"]) else {
        Issue.record("\(name): breakdown is not an object")
        return
    }
    let sum = categories.reduce(UInt64(0)) { $0 + ($1.1.uint ?? 0) }
    #expect(sum == json["file-size"]?.uint, "\(name): breakdown \(categories.map { "\($0.0)=\($0.1.uint ?? 0)" })")
}

extension String {
    /// Creates the directory this path names and returns the path.
    func made() throws -> String {
        try FileManager.default.createDirectory(atPath: self, withIntermediateDirectories: true)
        return self
    }
}
