import Explorer
import Reports
import Synchronization
import Testing
import TerminalUI
import TerminalUITesting

/// The interactive survey table over the fixtures: rendered into the cell grid against goldens,
/// the ncdu/htop keys (sort column, 1-9, reverse, filter), Enter handing the image to the explorer,
/// and rows filling in as records arrive through the loop.
@Suite struct SurveyTableTests {
    static let size = Size(width: 120, height: 40)
    static let root = "Tests/Fixtures/images"

    /// Every fixture surveyed in process (the real scan), once for the suite.
    static let records: [SurveyRecord] = {
        _ = ExplorerFixtures.path("v3.qcow2")  // the package root becomes the working directory
        let inbox = SurveyInbox()
        Survey(options: Survey.Options(jobs: 2)).run([Array(root.utf8)], record: inbox.post, skipped: { _ in })
        return inbox.take()
    }()

    static func table(_ events: [InputEvent] = []) -> SurveyTable {
        var table = SurveyTable(roots: [root])
        table.add(records)
        table.progress.found = records.count
        table.progress.done = records.count
        table.progress.walked = true
        for event in events { _ = table.update(event) }
        return table
    }

    static func frame(_ events: [InputEvent] = [], theme: Theme = .plainText) -> Screen {
        var table = table(events)
        return table.render(size: size, theme: theme)
    }

    @Test func sortedBySavingFirst() {
        #expect(Self.records.count == 31)
        Golden.check(Self.frame(), named: "survey-table")
    }

    @Test func sortedByErrorsAndFiltered() {
        Golden.check(Self.frame([.character("6")] + InputEvent.typing("/corrupt") + [.enter]), named: "survey-errors-filtered")
    }

    @Test func sortKeys() {
        var table = Self.table()
        #expect(SurveyColumn.all[table.sortColumn].title == "SAVING" && table.descending)
        _ = table.update(.character("s"))
        #expect(SurveyColumn.all[table.sortColumn].title == "LEAKED")
        _ = table.update(.function(6))
        #expect(SurveyColumn.all[table.sortColumn].title == "ERRORS")
        _ = table.update(.character("S"))
        #expect(SurveyColumn.all[table.sortColumn].title == "LEAKED")
        _ = table.update(.character("1"))
        #expect(table.sortColumn == 0 && !table.descending, "the path sorts A to Z")
        let names = table.rows.map(\.path)
        #expect(names == names.sorted())
        _ = table.update(.character("r"))
        #expect(table.rows.map(\.path) == names.reversed())
        _ = table.update(.character("3"))
        let sizes = table.rows.compactMap { $0["file-size"].uint }
        #expect(sizes == sizes.sorted(by: >))
        _ = table.update(.character("3"))
        #expect(table.rows.compactMap { $0["file-size"].uint } == sizes.sorted())
    }

    @Test func filterAndOpen() {
        var table = Self.table()
        for event in InputEvent.typing("/chain") { _ = table.update(event) }
        #expect(table.editingFilter == "chain")
        #expect(table.rows.count == 2)
        #expect(table.update(.enter) == .none)
        #expect(table.editingFilter == nil && table.filter == "chain")
        _ = table.update(.character("1"))
        _ = table.update(.down)
        #expect(table.update(.enter) == .open(Array((Self.root + "/chain-top.qcow2").utf8)))
        _ = table.update(.escape)
        #expect(table.filter.isEmpty && table.rows.count == 31)
        #expect(table.update(.character("q")) == .quit)
    }

    /// The loop takes records as they arrive, keeps the selection on its image, and comes back
    /// from the explorer to the same table.
    @Test func loopFillsInAndOpens() throws {
        let inbox = SurveyInbox()
        let half = Self.records.count / 2
        for r in Self.records.prefix(half) { inbox.post(r) }
        let later = Array(Self.records.dropFirst(half))
        let opened = Mutex<[[UInt8]]>([])
        let backend = HeadlessBackend(size: Self.size, events: [.character("1"), .enter, .down, .character("q")])
        let table = SurveyLoop.run(backend: backend, table: SurveyTable(roots: [Self.root]), theme: .plainText, inbox: inbox,
                                   progress: { Survey.Progress() }) { path in
            opened.withLock { $0.append(path) }
            for r in later { inbox.post(r) }
        }
        let first = try #require(opened.withLock { $0 }.first)
        #expect(table.records.count == Self.records.count)
        // The selection stayed on the image opened while rows arrived, then moved one down.
        let paths = table.rows.map(\.rawPath)
        #expect(paths.firstIndex(of: first).map { $0 + 1 } == table.selection)
    }
}
