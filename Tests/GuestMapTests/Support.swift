import Analysis
import Foundation
import Qcow2
import Reports
import TestSupport

/// Fixtures (Tests/Fixtures, made by make-fixtures.sh), located relative to this file.
enum Fixtures {
    static let root = FixturePaths.root

    static func image(_ name: String) -> String { root + "/images/" + name }
    static func expected(_ name: String) -> String { root + "/expected/" + name }

    static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Fixture images that have a recorded `qemu-img map --output=json` answer.
    static var mappedImages: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/expected")) ?? []
        return names.filter { $0.hasSuffix(".map.json") }.map { String($0.dropLast(".map.json".count)) }.sorted()
    }
}

/// `qcowscope map` in process: the bytes the command prints, and whether it fails as qemu-img
/// does (human format with compressed, encrypted or external clusters; entries QEMU refuses).
func ourMap(_ path: String, human: Bool = false, noBacking: Bool = false) throws -> (output: String, failed: Bool) {
    let image = try Qcow2Image(path: path, limits: noBacking ? .noBacking : DecodingLimits())
    let map = try GuestMap(chain: BackingChain.open(top: image))
    let sink = ByteSink()
    var writer = MapReportWriter(format: human ? .human : .json, fileNames: map.layers.map(\.hostPath)) { sink.bytes += $0 }
    var refused = false
    do {
        try map.forEachEntry(strict: true) { entry in
            guard !refused else { return }
            do { try writer.add(entry) } catch { refused = true }
        }
    } catch {
        writer.abandon()
        return (String(decoding: sink.bytes, as: UTF8.self), true)
    }
    if refused {
        writer.abandon()
    } else {
        writer.finish()
    }
    return (String(decoding: sink.bytes, as: UTF8.self), refused)
}

final class ByteSink: @unchecked Sendable {
    var bytes: [UInt8] = []
}

/// Parses qemu-img's map JSON (one entry per line, fixed key order) into entries.
func parseMap(_ text: String) -> [GuestMapEntry] {
    text.split(separator: "\n").compactMap { line in
        var fields: [String: String] = [:]
        for part in line.split(separator: ",") {
            let kv = part.split(separator: ":", maxSplits: 1)
            guard kv.count == 2 else { continue }
            let key = kv[0].filter { $0.isLetter }
            let value = kv[1].filter { !" }]".contains($0) }
            fields[String(key)] = String(value)
        }
        guard let start = fields["start"].flatMap(UInt64.init), let length = fields["length"].flatMap(UInt64.init),
              let depth = fields["depth"].flatMap(Int.init) else { return nil }
        return GuestMapEntry(start: start, length: length, depth: depth, present: fields["present"] == "true",
                             zero: fields["zero"] == "true", data: fields["data"] == "true",
                             offset: fields["offset"].flatMap(UInt64.init))
    }
}
