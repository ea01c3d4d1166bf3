import Guest
import Qcow2
import Analysis
import Testing

/// The interval arithmetic `space` is built on, and the explorer's per-cluster queries.
@Suite struct VolumeUsageTests {
    func e(_ start: UInt64, _ length: UInt64) -> GuestExtent { GuestExtent(start: start, length: length) }

    @Test func extentArithmetic() {
        let a = GuestExtents.normalised([e(50, 10), e(0, 10), e(5, 10), e(15, 5), e(30, 0)])
        #expect(a == [e(0, 20), e(50, 10)])
        let b = [e(10, 45)]
        #expect(GuestExtents.intersection(a, b) == [e(10, 10), e(50, 5)])
        #expect(GuestExtents.subtracting(a, b) == [e(0, 10), e(55, 5)])
        #expect(GuestExtents.subtracting(b, a) == [e(20, 30)])
        #expect(GuestExtents.widened([e(5, 2), e(9, 1), e(40, 1)], unit: 8) == [e(0, 16), e(40, 8)])
        #expect(GuestExtents.total(a) == 30)
        #expect(GuestExtents.contains(a, 19) && !GuestExtents.contains(a, 20))
        #expect(GuestExtents.covered(a, from: 15, to: 52) == 7)
    }

    /// A unit with one used byte is not reclaimable, even when the rest of it is free.
    @Test func reclaimableNeedsWholeFreeUnits() {
        let info = FilesystemInfo(kind: .ext4, blockSize: 4, blocks: 16, freeBlocks: 12, freeExtents: [e(0, 32), e(36, 16)])
        let volume = GuestVolume(start: 0, length: 64, table: .none, partition: nil, type: nil, filesystem: info)
        let v = VolumeUsage.figures(volume, extents: [e(0, 64)], allocated: [e(0, 48)], unit: 16)
        #expect(v.allocatedBytes == 48)
        #expect(v.reclaimableExtents == [e(0, 32)])  // [32, 48) holds used bytes [32, 36)
        #expect(v.reclaimableBytes == 32)
        #expect(v.freeUnitExtents == [e(0, 32)])  // [36, 52) touches used units on both sides
    }

    /// The queries agree with the figures on a real guest: every reclaimable byte is free and
    /// allocated, and its filesystem block is not in use.
    @Test func queriesAgreeWithFigures() throws {
        let image = try Qcow2Image(path: SpaceFixtures.guest("gpt.qcow2"))
        let usage = try VolumeUsage.read(chain: BackingChain.open(top: image))
        let ext = try #require(usage.volumes.firstIndex { $0.volume.filesystem.kind == .ext4 })
        for extent in usage.volumes[ext].reclaimableExtents.prefix(20) {
            #expect(usage.coverage(from: extent.start, to: extent.end) == .freeAllocated)
            let where_ = usage.locate(extent.start)
            #expect(where_.volume == ext && where_.inUse == false && where_.allocated)
            #expect(where_.block == (extent.start - usage.volumes[ext].volume.start) / 4096)
        }
        let superblock = usage.volumes[ext].volume.start + 1024
        #expect(usage.coverage(from: superblock, to: superblock + 1) == .inUse)
        #expect(usage.locate(superblock).inUse == true)
        #expect(usage.coverage(from: 0, to: 512) == .outsideVolumes)
        #expect(usage.locate(0).volume == nil)
    }
}

/// LVM as GuestDiskLayout lists it: a physical volume whose segments exclude its logical volumes,
/// and logical volumes of several segments. Every allocated guest byte is counted once, and the
/// PV's unused extents are reclaimable.
@Suite struct VolumeUsageLVMTests {
    @Test func everyByteCountedOnce() throws {
        let MiB: UInt64 = 1 << 20
        func e(_ start: UInt64, _ length: UInt64) -> GuestExtent { GuestExtent(start: start * MiB, length: length * MiB) }
        let image = try Qcow2Image(path: SpaceFixtures.guest("whole.qcow2"))
        let map = try GuestMap(chain: BackingChain.open(top: image))
        let pvInfo = FilesystemInfo(kind: .lvm2, blockSize: MiB, blocks: 15, freeBlocks: 7, freeExtents: [e(9, 7)])
        let pv = GuestVolume(start: 0, length: 16 * MiB, table: .mbr, partition: 1, type: "0x8e",
                             segments: [e(0, 1), e(5, 11)], filesystem: pvInfo)
        let lvInfo = FilesystemInfo(kind: .ext4, blockSize: 4096, blocks: 768, freeBlocks: 256, freeExtents: [e(4, 1)])
        let lv1 = GuestVolume(start: 1 * MiB, length: 3 * MiB, table: .lvm, partition: nil, type: nil, name: "root",
                              segments: [e(1, 2), e(4, 1)], filesystem: lvInfo)
        let lv2 = GuestVolume(start: 3 * MiB, length: MiB, table: .lvm, partition: nil, type: nil, name: "swap",
                              segments: [e(3, 1)], filesystem: FilesystemInfo(kind: .unknown))
        let usage = try VolumeUsage(map: map, volumes: [pv, lv1, lv2], findings: [])
        let total = GuestExtents.total(usage.allocated)
        #expect(usage.volumes.reduce(0) { $0 + $1.allocatedBytes } + usage.outsideVolumesBytes == total)
        #expect(usage.outsideVolumesBytes == 0)
        #expect(usage.volumes[0].reclaimableBytes == GuestExtents.total(GuestExtents.intersection(usage.allocated, [e(9, 7)])))
        #expect(usage.volumes[1].reclaimableExtents.allSatisfy { $0.start >= 4 * MiB && $0.end <= 5 * MiB })
        #expect(usage.volumes[2].reclaimableBytes == 0)
        // The LV numbers its blocks along its segments: guest 4 MiB is its block 512 (after 2 MiB).
        #expect(usage.locate(4 * MiB).volume == 1 && usage.locate(4 * MiB).block == 512)
        #expect(usage.locate(3 * MiB).volume == 2 && usage.coverage(from: 3 * MiB, to: 3 * MiB + 4096) == .notAnalysed)
    }
}
