import Explorer
import Foundation
import Reports
import TerminalUI
import Testing
import TestSupport

extension InUseTests {
    /// `survey` over a directory whose one image qemu-io is writing (lazy refcounts: every new
    /// cluster's refcount is too low on disk until QEMU closes it): each record says `in-use`,
    /// with no corruption, leak or check error and exit 0, and the interactive table built from
    /// the records shows that row "in use" and counts it in its totals. Once the writer has
    /// stopped, the record is at rest and clean.
    @Test func surveyReadsAnImageQemuIOIsWriting() throws {
        let (directory, image) = try Self.makeImage(options: ["-o", "lazy_refcounts=on"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = QemuWriter(directory: directory, image: image)
        try writer.start(.qemuIO, count: 40, pause: 0.05)
        defer { writer.stop() }
        var sizes: [UInt64] = []
        let end = Date().addingTimeInterval(1.5)
        while Date() < end {
            let out = try Self.qcowscope(["survey", "--json", directory], in: directory)
            #expect(out.status == 0, "survey of an image in use: \(out.status) \(out.stderr) \(out.stdout)")
            let record = try JSONParser.parse(out.stdout)
            #expect(record["in-use"] == .bool(true), "\(out.stdout)")
            for key in ["corruptions", "leaks", "check-errors"] {
                #expect(Self.number(record[key]) == 0, "\(key): \(out.stdout)")
            }
            sizes.append(Self.number(record["file-size"]))
        }
        #expect(sizes == sizes.sorted(), "the file shrank: \(sizes)")

        // In process, as the interactive table gets its records.
        let inbox = SurveyInbox()
        Survey(options: Survey.Options(jobs: 1)).run([Array(directory.utf8)], record: inbox.post, skipped: { _ in })
        var table = SurveyTable(roots: [directory])
        table.add(inbox.take())
        try #require(table.rows.count == 1)
        let row = try #require(table.rows.first)
        #expect(row["in-use"] == .bool(true) && row.problem == nil, "\(row.json.rendered())")
        #expect(table.totals.inUse == 1 && table.totals.withErrors == 0)
        let text = table.render(size: Size(width: 120, height: 10), theme: .plainText).textDump()
        #expect(text.contains("in use"), "\(text)")

        writer.wait(seconds: 20)
        let rest = try Self.qcowscope(["survey", "--json", directory], in: directory)
        #expect(rest.status == 0, "\(rest.stderr)")
        let record = try JSONParser.parse(rest.stdout)
        #expect(record["in-use"] == .bool(false))
        #expect(Self.number(record["leaks"]) == 0 && Self.number(record["corruptions"]) == 0, "\(rest.stdout)")
    }
}
