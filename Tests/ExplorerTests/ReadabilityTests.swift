import Analysis
import Explorer
import Foundation
import Testing
import TerminalUI
import TerminalUITesting

/// Issue 16: what a user meets without colour, in ASCII, with a missing backing file, an
/// encrypted image, a dirty header.
@Suite struct ReadabilityTests {
    static let size = Size(width: 100, height: 32)

    /// Every view of the demo and of damaged fixtures drawn with ASCII glyphs holds only
    /// printable ASCII: no `·`, `–`, `…`, `≈`, arrows, `≠`, box drawing or `●`.
    @Test(arguments: ["Demo/demo.qcow2", "corrupt-l2-shared.qcow2", "chain-top.qcow2", "luks.qcow2", "bitmaps.qcow2"])
    func asciiScreensAreASCII(name: String) throws {
        let session = try ExplorerFixtures.session(name)
        for view in ViewID.allCases {
            for size in [Size(width: 80, height: 24), Size(width: 140, height: 45)] {
                var state = AppState(view: view)
                ExplorerFixtures.press(session, &state, [.character("?")], size: size)
                for overlay in [false, true] {
                    var shown = state
                    if !overlay { shown.overlay = .none }
                    let screen = Explorer.render(shown, session.snapshot(), size: size, theme: Theme(glyphs: .ascii, colorMode: .none))
                    let bad = screen.textDump().unicodeScalars.filter { !($0.isASCII && ($0.value >= 0x20 || $0 == "\n")) }
                    #expect(bad.isEmpty, "\(name) \(view) \(size): \(String(String.UnicodeScalarView(bad)))")
                }
            }
        }
    }

    /// A top image alone in a directory: its backing file is missing. The header names it near
    /// the top and in the health line; the guest map says where the unallocated clusters would
    /// have come from.
    @Test func missingBackingFileIsNamed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qcowscope-missing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let top = directory.appendingPathComponent("top.qcow2").path
        try FileManager.default.copyItem(atPath: ExplorerFixtures.root.path + "/Tests/Fixtures/images/chain-top.qcow2", toPath: top)
        let session = try ExplorerSession(path: top)
        session.scanNow()
        let data = session.snapshot()
        let theme = Theme(glyphs: .unicode, colorMode: .none)
        let wide = Size(width: 220, height: 40)
        let header = Explorer.render(AppState(view: .header), data, size: wide, theme: theme).textDump()
        #expect(header.contains(" backing file ") && header.contains(" chain-mid.qcow2 (missing)"))
        #expect(header.contains("backing file missing: \(directory.path)/chain-mid.qcow2"))
        let guest = Explorer.render(AppState(view: .guest), data, size: wide, theme: theme).textDump()
        #expect(guest.contains("from backing file \(directory.path)/chain-mid.qcow2 (missing)"))
        #expect(!guest.contains("unallocated"))
    }

    /// The health line summarises the header bits and bitmaps in use, not only the check.
    @Test func healthSaysDirtyAndBitmapsInUse() throws {
        let dirty = try ExplorerFixtures.frame("corrupt-dirty.qcow2", view: .header).textDump()
        #expect(dirty.contains("health                       dirty (incompatible bit 0)"))
        let inUse = try ExplorerFixtures.frame("bitmaps-inuse.qcow2", view: .header).textDump()
        #expect(inUse.contains("1 bitmap in use"))
        let clean = try ExplorerFixtures.frame("v3.qcow2", view: .header).textDump()
        #expect(clean.contains("health                       clean"))
    }

    /// Encrypted image: the guest map shows the host offset of the ciphertext, Enter opens that
    /// cluster, and the drill says the data is encrypted instead of dumping ciphertext as content.
    @Test func encryptedGuestDataShowsWhereItIs() throws {
        let guest = try ExplorerFixtures.frame("luks.qcow2", view: .guest).textDump()
        #expect(guest.contains("host        0x"))
        #expect(guest.contains("encrypted data"))
        let (state, _) = try ExplorerFixtures.run("luks.qcow2", view: .guest, [.enter])
        #expect(state.message == nil)
        guard case .cluster? = state.drills.last else {
            Issue.record("Enter opened nothing: \(state.message ?? "")")
            return
        }
        let drill = try ExplorerFixtures.frame("luks.qcow2", view: .guest, events: [.enter]).textDump()
        #expect(drill.contains("the data is encrypted (LUKS)"))
        #expect(!drill.contains("|"))
    }

    /// Scales are stated: log-scaled histograms say so, the bitmap bar is a share of the disk
    /// (23 MiB of 256 MiB is a short bar, not a full one), the snapshot bar column is labelled.
    @Test func scalesAreStated() throws {
        let refcounts = try ExplorerFixtures.frame("Demo/demo.qcow2", view: .refcounts).textDump()
        #expect(refcounts.contains("stored │ counted (log scale)"))
        #expect(refcounts.contains("Clusters by role (log scale)"))
        #expect(refcounts.contains("Fragmentation 86/100 · log scale"))
        let bitmaps = try ExplorerFixtures.frame("Demo/demo.qcow2", view: .bitmaps, size: Size(width: 140, height: 30)).textDump()
        #expect(bitmaps.contains("% disk of disk"))
        let weekly = try #require(bitmaps.split(separator: "\n").first { $0.hasPrefix("backup-weekly") })
        #expect(weekly.filter { $0 == "█" }.count <= 2)
        let snapshots = try ExplorerFixtures.frame("Demo/demo.qcow2", view: .snapshots, size: Size(width: 140, height: 30)).textDump()
        #expect(snapshots.contains("Excl./max"))
    }

    /// At 80×24 counts stay whole, names are not cut, and the status bar keeps `? help` and `q quit`.
    @Test func narrowTerminalKeepsCountsAndNames() throws {
        let size = Size(width: 80, height: 24)
        let refcounts = try ExplorerFixtures.frame("corrupt-leak.qcow2", view: .refcounts, size: size).textDump()
        #expect(refcounts.contains("leaked (referenced by nothing)               1│"))
        #expect(refcounts.contains("0 host jumps"))
        let snapshots = try ExplorerFixtures.frame("Demo/demo.qcow2", view: .snapshots, size: size).textDump()
        #expect(snapshots.contains("└─ after-upgrade "))
        #expect(snapshots.contains("● current "))
        let bitmaps = try ExplorerFixtures.frame("Demo/demo.qcow2", view: .bitmaps, size: size).textDump()
        #expect(bitmaps.contains("since-install ") && bitmaps.contains("backup-weekly "))
        for view in ViewID.allCases {
            let text = try ExplorerFixtures.frame("Demo/demo.qcow2", view: view, size: size).textDump()
            let status = try #require(text.split(separator: "\n").last)
            #expect(status.contains("? help") && status.contains("q quit"), "\(view)")
        }
    }

    /// Singular and plural: an L1 table of one entry says "1 entry"; a one-cluster cell "1 cluster/cell".
    @Test func singularAndPlural() throws {
        let text = try ExplorerFixtures.frame("corrupt-leak.qcow2", view: .host, events: [.character("g")] + InputEvent.typing("#3") + [.enter, .enter]).textDump()
        #expect(text.contains("L1 table at 0x30000 · 1 entry"))
        #expect(!text.contains("1 entries"))
        let host = try ExplorerFixtures.frame("corrupt-leak.qcow2", view: .host).textDump()
        #expect(host.contains(" 1 cluster/cell") && !host.contains(" 1 clusters"))
    }

    /// The palette separates the three snapshot blues and the two data teals: every pair of
    /// roles in those groups is far apart in the xterm palette's RGB.
    @Test func snapshotBluesAndDataTealsAreApart() throws {
        func rgb(_ color: Color) throws -> (Int, Int, Int) {
            let i = try #require(color.paletteIndex)
            try #require(i >= 16 && i < 232)
            let levels = [0, 95, 135, 175, 215, 255]
            let c = i - 16
            return (levels[c / 36], levels[(c / 6) % 6], levels[c % 6])
        }
        let theme = Theme()
        let groups: [[ClusterRole]] = [[.snapshotTable, .snapshotL1, .snapshotL2], [.data, .dataShared, .snapshotData]]
        for group in groups {
            for (k, a) in group.enumerated() {
                for b in group.dropFirst(k + 1) {
                    let x = try rgb(theme.color(a)), y = try rgb(theme.color(b))
                    let distance = abs(x.0 - y.0) + abs(x.1 - y.1) + abs(x.2 - y.2)
                    #expect(distance >= 120, "\(a) and \(b) look alike: \(x) \(y)")
                }
            }
        }
    }
}
