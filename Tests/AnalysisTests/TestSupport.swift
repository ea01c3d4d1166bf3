import Analysis
import Foundation
import Qcow2
import Reports
import TestSupport

/// Fixture images made by Tests/Fixtures/make-fixtures.sh, located relative to this file.
enum Fixtures {
    static let root = FixturePaths.root

    static func image(_ name: String) -> String { root + "/images/" + name }
    static func expected(_ name: String) -> String { root + "/expected/" + name }

    /// Image names with a recorded `qemu-img check` answer.
    static var checked: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/expected")) ?? []
        return names.filter { $0.hasSuffix(".check.json") }.map { String($0.dropLast(".check.json".count)) }.sorted()
    }

    /// A recorded JSON answer as a dictionary.
    static func json(_ name: String) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: expected(name)) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    static func status(_ name: String) -> Int32? {
        guard let data = FileManager.default.contents(atPath: expected(name)),
              let text = String(data: data, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Scans an image file.
func analyse(_ path: String) throws -> ImageAnalysis {
    let image = try Qcow2Image(path: path, limits: .noBacking)
    return try ImageAnalysis.scan(image)
}

/// Our `qemu-img check` keys as plain values, for comparing with a recorded answer.
func qemuCheckValues(_ analysis: ImageAnalysis, filename: String) -> [String: UInt64] {
    var out: [String: UInt64] = [:]
    for (key, value) in CheckReport(analysis: analysis, filename: filename).qemuJSON() {
        if case .uint(let v)? = value { out[key] = v }
    }
    return out
}

/// The numeric keys of a recorded `qemu-img check` answer.
func numericValues(_ json: [String: Any]) -> [String: UInt64] {
    var out: [String: UInt64] = [:]
    for (key, value) in json { if let n = value as? NSNumber { out[key] = n.uint64Value } }
    return out
}
