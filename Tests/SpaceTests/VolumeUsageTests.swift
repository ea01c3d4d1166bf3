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
