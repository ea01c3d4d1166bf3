import Testing
@testable import Qcow2

@Suite struct SnapshotTests {
    @Test func snapshotsFixture() throws {
        let image = try Fixtures.open("snapshots.qcow2")
        let (snapshots, findings) = image.readSnapshots()
        #expect(findings.isEmpty)
        #expect(snapshots.map(\.id) == ["1", "3"])
        #expect(snapshots.map(\.name) == ["first", "third"])
        #expect(snapshots.map(\.dateSeconds) == [1_700_000_000, 1_700_003_600])
        for s in snapshots {
            #expect(s.extraDataSize >= 24)
            #expect(s.icount == 0)
            #expect(s.diskSize == 4 << 20)
            #expect(s.vmStateSize == 0)
            #expect(s.entryOffset % 8 == 0)
            let l1 = try image.readL1Table(of: s)
            #expect(l1.count == Int(s.l1Size))
        }
    }

    @Test func version2SnapshotFixture() throws {
        let (snapshots, findings) = try Fixtures.open("v2.qcow2").readSnapshots()
        #expect(findings.isEmpty)
        #expect(snapshots.count == 1)
        #expect(snapshots.first?.name == "base")
    }

    @Test func icountAbsentOrMinusOneIsNil() {
        var s = Snapshot(index: 0, entryOffset: 0, l1TableOffset: 0, l1Size: 0, id: "1", name: "a", dateSeconds: 0,
                         dateNanoseconds: 0, vmClockNanoseconds: 0, vmStateSize32: 7, extraDataSize: 16,
                         vmStateSizeLarge: 9, diskSize: 0, icountRaw: nil, unknownExtraData: [])
        #expect(s.icount == nil)
        #expect(s.vmStateSize == 9)
        s.icountRaw = UInt64.max
        #expect(s.icount == nil)
        s.icountRaw = 5
        #expect(s.icount == 5)
        s.vmStateSizeLarge = nil
        #expect(s.vmStateSize == 7)
    }

    @Test func hostileNameWithEscapesStaysEscaped() throws {
        var img = SyntheticImage()
        img.nbSnapshots = 1
        img.snapshotsOffset = 2 << 16
        let at = 2 << 16
        let name: [UInt8] = [0x1B, 0x5B, 0x32, 0x4A, 0x41] // ESC [ 2 J A
        img.patches = [(at + 12, [0, 1, 0, UInt8(name.count)]), (at + 40, [0x31] + name)]
        let (snapshots, _) = try img.open().readSnapshots()
        let s = try #require(snapshots.first)
        #expect(s.name.escaped == "\\x1b[2JA")
        #expect(!s.name.escaped.contains("\u{1B}"))
    }
}

@Suite struct BitmapTests {
    @Test func bitmapsFixture() throws {
        let image = try Fixtures.open("bitmaps.qcow2")
        let (bitmaps, findings) = image.readBitmapDirectory()
        #expect(findings.isEmpty)
        #expect(bitmaps.map(\.name) == ["fine", "medium", "coarse", "frozen"])
        #expect(bitmaps.map(\.granularity) == [4096, 65536, 1 << 20, 65536])
        #expect(bitmaps.map(\.flagNames) == [["auto"], ["auto"], ["auto"], []])
        for b in bitmaps {
            #expect(UInt64(b.tableSize) == b.expectedTableSize(virtualSize: image.header.size, clusterSize: image.header.clusterSize))
            let table = try image.readBitmapTable(of: b)
            #expect(table.count == Int(b.tableSize))
            #expect(!table.contains { $0.hasReservedBits })
        }
    }

    @Test func inUseBitmapFixture() throws {
        let (bitmaps, _) = try Fixtures.open("bitmaps-inuse.qcow2").readBitmapDirectory()
        #expect(bitmaps.first?.isInUse == true)
        #expect(bitmaps.first?.flagNames == ["in-use", "auto"])
    }
}
