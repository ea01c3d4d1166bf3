import Qcow2
import Analysis
import Explorer
import Foundation
import Guest
import Testing
import TerminalUI
import TerminalUITesting

/// Issue 10 in the explorer: view 8 Volumes, the guest map's volume layer (`v`), the headline,
/// and the filesystem reading in the background, on the guest-disk fixtures
/// (Tests/Fixtures/guest, made by make-guest-fixtures.sh) and on images with no guest filesystem.
@Suite struct VolumesTests {
    static let size = Size(width: 100, height: 32)
    static let guestFixtures = ["guest/gpt.qcow2", "guest/mbr.qcow2", "guest/whole.qcow2", "guest/garbage.qcow2"]

    static func usage(_ name: String) throws -> (VolumeUsage, ExplorerData) {
        let data = try ExplorerFixtures.session(name).snapshot()
        return (try #require(try data.volumes?.get()), data)
    }

    @Test func volumesFrames() throws {
        Golden.check(try ExplorerFixtures.frame("guest/gpt.qcow2", view: .volumes), named: "volumes-gpt")
        Golden.check(try ExplorerFixtures.frame("guest/mbr.qcow2", view: .volumes, events: [.down, .down]), named: "volumes-mbr-ntfs")
        Golden.check(try ExplorerFixtures.frame("luks.qcow2", view: .volumes), named: "volumes-luks")
    }

    /// Enter on a volume: the guest map at the volume's first cluster with the layer on.
    @Test func guestMapLayerFrames() throws {
        Golden.check(try ExplorerFixtures.frame("guest/gpt.qcow2", view: .volumes, events: [.enter]), named: "guest-gpt-volumes")
        let (state, snapshot) = try ExplorerFixtures.run("guest/gpt.qcow2", view: .volumes, [.enter, .character("f")])
        var data = snapshot
        data.path = "guest/gpt.qcow2"
        let ascii = Explorer.render(state, data, size: Self.size, theme: Theme(glyphs: .ascii, colorMode: .none))
        Golden.check(ascii, named: "guest-gpt-volumes-ascii")
    }

    @Test func enterJumpsToTheVolumeAndEscComesBack() throws {
        let (usage, _) = try Self.usage("guest/gpt.qcow2")
        let (state, _) = try ExplorerFixtures.run("guest/gpt.qcow2", view: .volumes, [.down, .enter])
        #expect(state.view == .guest)
        #expect(state[.guest].map.showsVolumes)
        #expect(state[.guest].map.cursor == usage.volumes[1].volume.start / 65536)
        let (back, _) = try ExplorerFixtures.run("guest/gpt.qcow2", view: .volumes, [.down, .enter, .escape])
        #expect(back.view == .volumes && back[.volumes].list.selection == 1)
    }

    @Test func vTogglesTheLayer() throws {
        let (on, data) = try ExplorerFixtures.run("guest/gpt.qcow2", view: .guest, [.character("v")])
        #expect(on[.guest].map.showsVolumes)
        let text = Explorer.render(on, data, size: Self.size, theme: .plainText).textDump()
        #expect(text.contains("free, allocated (reclaimable)") && text.contains("in use"))
        let (off, _) = try ExplorerFixtures.run("guest/gpt.qcow2", view: .guest, [.character("v"), .character("v")])
        #expect(!off[.guest].map.showsVolumes)
    }

    /// The layer's counts per cluster equal a cluster-by-cluster classification made from the
    /// usage's public extents, and reclaimable clusters hold every reclaimable byte.
    @Test(arguments: guestFixtures)
    func layerCountsMatchClusterByCluster(name: String) throws {
        let (usage, data) = try Self.usage(name)
        let cs = try #require(data.results.guestSummary).clusterSize
        let clusters = (usage.diskSize + cs - 1) / cs
        var expected = GuestLayerCounts()
        for c in 0..<clusters {
            expected[Self.classify(usage, from: c * cs, to: min((c + 1) * cs, usage.diskSize))] += 1
        }
        #expect(usage.layerCounts(clusters: 0..<clusters, clusterSize: cs) == expected)
        // And each cluster as the usage's own per-range query classes it.
        var asked = GuestLayerCounts()
        for c in 0..<clusters { asked[usage.coverage(from: c * cs, to: min((c + 1) * cs, usage.diskSize))] += 1 }
        #expect(asked == expected)
        // Cells of any size add up to the whole.
        var summed = GuestLayerCounts()
        for start in stride(from: UInt64(0), to: clusters, by: 7) {
            let part = usage.layerCounts(clusters: start..<min(start + 7, clusters), clusterSize: cs)
            for kind in GuestLayerKind.allCases { summed[kind] += part[kind] }
        }
        #expect(summed == expected)
        #expect(expected[.freeAllocated] * cs >= usage.reclaimableBytes)
    }

    /// A snapshot's guest map has no volume layer: `v` says why instead of drawing a stale one.
    @Test func snapshotMapSaysTheLayerIsTheCurrentDisks() throws {
        let (state, data) = try ExplorerFixtures.run("Demo/demo.qcow2", view: .snapshots, [.down, .enter, .character("v")])
        #expect(state.message == "volume layer: the current disk only, not a snapshot's")
        let text = Explorer.render(state, data, size: Self.size, theme: .plainText).textDump()
        #expect(text.contains("volume layer: the current disk only"))
    }

    /// One cluster's kind from the public extents: in use beats not analysed beats outside beats
    /// free; free is reclaimable when a byte of it is allocated.
    static func classify(_ usage: VolumeUsage, from start: UInt64, to end: UInt64) -> GuestLayerKind {
        let cluster = [GuestExtent(start: start, length: end - start)]
        var inUse = false, notAnalysed = false, free = false
        var covered: UInt64 = 0
        for v in usage.volumes {
            let mine = GuestExtents.intersection(v.extents, cluster)
            covered += GuestExtents.total(mine)
            guard !mine.isEmpty else { continue }
            if !v.isAnalysed { notAnalysed = true; continue }
            if !GuestExtents.subtracting(mine, v.freeUnitExtents).isEmpty { inUse = true }
            if !GuestExtents.intersection(mine, v.freeUnitExtents).isEmpty { free = true }
        }
        if inUse { return .inUse }
        if notAnalysed { return .notAnalysed }
        if covered < end - start || !free { return .outsideVolumes }
        return GuestExtents.intersection(usage.allocated, cluster).isEmpty ? .freeUnallocated : .freeAllocated
    }

    /// The cursor panel and the cluster drill-down name the volume, the block and its use (on an
    /// uncompressed copy of the GPT fixture: Enter opens no compressed cluster).
    @Test func panelAndDrillNameTheVolumeAndBlock() throws {
        guard let qemuImg = ["/usr/bin/qemu-img", "/usr/local/bin/qemu-img"].first(where: FileManager.default.isExecutableFile) else {
            print("skipped: qemu-img is not installed (make deps)")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qcowscope-volumes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = directory.appendingPathComponent("plain.qcow2").path
        let convert = Process()
        convert.executableURL = URL(fileURLWithPath: qemuImg)
        convert.arguments = ["convert", "-O", "qcow2", ExplorerFixtures.path("guest/gpt.qcow2"), plain]
        try convert.run()
        convert.waitUntilExit()
        #expect(convert.terminationStatus == 0)
        let session = try ExplorerSession(path: plain)
        session.scanNow()
        let usage = try #require(try session.snapshot().volumes?.get())
        let root = usage.volumes[0].volume
        let size = Size(width: 120, height: 40)
        var state = AppState(view: .volumes)
        ExplorerFixtures.press(session, &state, [.enter], size: size)
        let text = Explorer.render(state, session.snapshot(), size: size, theme: .plainText).textDump()
        #expect(text.contains("volume      gpt 1 ext4 \"root\""))
        #expect(text.contains("fs block    #0 (4 KiB)"))
        #expect(text.contains("fs says     in use"))
        ExplorerFixtures.press(session, &state, [.enter], size: size)
        guard case .cluster? = state.drills.last else {
            Issue.record("Enter opened no cluster: \(state.message ?? "")")
            return
        }
        let drill = Explorer.render(state, session.snapshot(), size: size, theme: .plainText).textDump()
        #expect(drill.contains("guest \(hex(root.start)): gpt 1 ext4 \"root\", fs block #0 · in use"))
    }

    /// The reading runs in the background: while it is held back the header says so, keys act at
    /// once, and the headline appears when it is done.
    @Test func readingNeverHoldsTheUI() throws {
        let session = try ExplorerSession(path: ExplorerFixtures.path("guest/gpt.qcow2"))
        session.start()
        session.waitUntilFinished()
        session.pauseBackgroundWork()
        var state = AppState(view: .header)
        session.requestWork(for: state)
        let waiting = Explorer.render(state, session.snapshot(), size: Self.size, theme: .plainText).textDump()
        #expect(waiting.contains("reading guest filesystems…"))
        session.update(&state, .character("8"), size: Self.size)
        #expect(state.view == .volumes)
        let notice = Explorer.render(state, session.snapshot(), size: Self.size, theme: .plainText).textDump()
        #expect(notice.contains("Reading the guest's partition tables and filesystems"))
        session.update(&state, .character("3"), size: Self.size)
        session.update(&state, .character("v"), size: Self.size)
        #expect(state.view == .guest && state[.guest].map.showsVolumes)
        #expect(Explorer.render(state, session.snapshot(), size: Self.size, theme: .plainText).textDump()
            .contains("volume layer: reading guest filesystems"))
        session.resumeBackgroundWork()
        session.waitForBackgroundWork()
        let done = Explorer.render(AppState(view: .header), session.snapshot(), size: Self.size, theme: .plainText).textDump()
        #expect(done.contains("468 KiB file · 19.8 MiB reclaimable in the guest"))
    }

    /// Every fixture opens, and the Volumes view and the layer draw on images with no guest
    /// filesystem (all-zero disks, encrypted, damaged): "not analysed", never a crash.
    @Test func everyFixtureDrawsTheViewAndTheLayer() throws {
        let images = try FileManager.default.contentsOfDirectory(atPath: ExplorerFixtures.root.path + "/Tests/Fixtures/images")
            .filter { $0.hasSuffix(".qcow2") }.sorted()
        for name in images + Self.guestFixtures {
            let session = try ExplorerSession(path: ExplorerFixtures.path(name))
            session.scanNow()
            let data = session.snapshot()
            var layer = AppState(view: .guest)
            layer[.guest].map.showsVolumes = true
            for state in [AppState(view: .volumes), layer, AppState(view: .header)] {
                let text = Explorer.render(state, data, size: Self.size, theme: .plainText).textDump()
                #expect(!text.contains("reading guest filesystems"), "\(name): not read after scanNow")
                _ = Explorer.render(state, data, size: Self.size, theme: Theme(glyphs: .ascii, colorMode: .none))
            }
        }
        let luks = Explorer.render({ var s = AppState(view: .guest); s[.guest].map.showsVolumes = true; return s }(),
                                   try ExplorerFixtures.session("luks.qcow2").snapshot(), size: Self.size, theme: .plainText).textDump()
        #expect(luks.contains("not analysed (encrypted)"))
    }
}
