import Foundation
import Qcow2
import Reports
import Testing
import TestSupport

/// `info --json` (through the Reports API) against `qemu-img info --output=json` on a matrix of
/// images made by QEMU itself: every key qemu-img prints must be there with the same value, in
/// the same order. Skipped when qemu-img is not installed.
@Suite(.enabled(if: Tools.qemu, "qemu-img and qemu-io are not on PATH"))
struct OracleTests {
    @Test(arguments: OracleMatrix.all)
    func infoAgreesWithQemuImg(_ oracle: OracleCase) throws {
        let dir = try Tools.temporaryDirectory("qcowscope-oracle")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for step in oracle.steps {
            let result = try Tools.run(step.arguments, in: dir)
            if !step.mayFail {
                try #require(result.status == 0, "\(step.arguments.joined(separator: " ")): \(result.stderr)")
            }
        }
        let qemu = try Tools.run(["qemu-img", "info", "--output=json", "-f", "qcow2", oracle.image], in: dir)
        try #require(qemu.status == 0, "qemu-img info: \(qemu.stderr)")
        let image = try Qcow2Image(path: dir + "/" + oracle.image)
        let report = InfoReport(image: image, filename: oracle.image)
        try compare(report.qemuJSON(), qemu.stdout, oracle.name)
        // The full report keeps qemu-img's keys first and adds ours after them.
        let full = report.json()
        if case .object(let pairs) = full, case .object(let qemuPairs) = report.qemuJSON() {
            #expect(Array(pairs.prefix(qemuPairs.count).map(\.0)) == qemuPairs.map(\.0))
        }
        #expect(full["findings"] != nil)

        guard oracle.chain else { return }
        let qemuChain = try Tools.run(["qemu-img", "info", "--output=json", "--backing-chain", "-f", "qcow2", oracle.image], in: dir)
        try #require(qemuChain.status == 0, "qemu-img info --backing-chain: \(qemuChain.stderr)")
        let reports = InfoReport.chain(BackingChain.open(top: image), filename: oracle.image)
        try compare(InfoReport.qemuChainJSON(reports), qemuChain.stdout, oracle.name + " --backing-chain")
    }

    private func compare(_ ours: JSONValue, _ qemuText: String, _ name: String) throws {
        let qemu = try JSONParser.parse(qemuText)
        let differences = jsonDifferences(ours, qemu)
        #expect(differences.isEmpty, "\(name):\n\(differences.joined(separator: "\n"))\nqemu-img:\n\(qemuText)")
        #expect(keyOrders(ours) == keyOrders(qemu), "\(name): key order differs from qemu-img")
    }
}
