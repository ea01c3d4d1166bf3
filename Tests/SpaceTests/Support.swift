import Guest
import Qcow2
import Analysis
import Foundation
import TestSupport

/// Paths of the committed fixtures (Tests/Fixtures), located relative to this file.
enum SpaceFixtures {
    static let root = FixturePaths.root

    static func image(_ name: String) -> String { root + "/images/" + name }
    static func guest(_ name: String) -> String { root + "/guest/" + name }

    /// The committed qcow2 fixtures of `directory`.
    static func qcow2Images(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".qcow2") }.sorted()
    }
}

/// Compares every byte a ``GuestDisk`` reads with a raw file (what `qemu-img convert -O raw`
/// wrote), in 1 MiB chunks at offsets that are not cluster-aligned, so pieces straddle clusters.
/// Returns the first differing guest offset, or nil when equal.
func firstDifference(_ disk: GuestDisk, raw path: String) throws -> UInt64? {
    let raw = try ReadOnlyFile(path: path)
    guard raw.size == disk.size else { return min(raw.size, disk.size) }
    let chunk: UInt64 = (1 << 20) + 4608
    var offset: UInt64 = 0
    while offset < disk.size {
        let n = Int(min(chunk, disk.size - offset))
        let ours = try disk.readBytes(n, at: offset, for: .guestDisk)
        let theirs = try raw.readBytes(n, at: offset, for: .file)
        if ours != theirs {
            let i = ours.indices.first { ours[$0] != theirs[$0] } ?? 0
            return offset + UInt64(i)
        }
        offset += UInt64(n)
    }
    return nil
}

/// Runs each command in `directory`, failing with the command's stderr.
func runAll(_ commands: [[String]], in directory: String) throws {
    for command in commands {
        let result = try Tools.run(command, in: directory)
        guard result.status == 0 else {
            throw SetupFailure(description: "\(command.joined(separator: " ")): \(result.stderr)")
        }
    }
}

struct SetupFailure: Error, CustomStringConvertible {
    var description: String
}
