import Foundation
import Guest
import Qcow2
import Reports
import TestSupport

/// Builds guest disks the way real ones come to be (a raw file of non-zero bytes, then a table,
/// then filesystems made in place and populated), and asks the reference tools about them.
enum GuestDiskMaker {
    struct ToolFailure: Error, CustomStringConvertible {
        var command: String
        var output: Tools.Output
        var description: String { "\(command) exited \(output.status): \(output.stderr)\(output.stdout)" }
    }

    /// True when every tool is on PATH (tests skip themselves otherwise).
    static func have(_ tools: String...) -> Bool { tools.allSatisfy { Tools.find($0) != nil } }

    /// Runs a shell command in `directory`; throws with its output when it fails.
    @discardableResult
    static func sh(_ command: String, in directory: String) throws -> String {
        let output = try Tools.shell(command, in: directory, seconds: 120)
        guard output.status == 0 else { throw ToolFailure(command: command, output: output) }
        return output.stdout
    }

    /// A file of `bytes` bytes of 0xA5: the old data a used disk's free space holds.
    static func filled(_ name: String, bytes: UInt64, in directory: String) throws {
        try sh("head -c \(bytes) /dev/zero | tr '\\000' '\\245' > \(name)", in: directory)
    }

    /// `count` files of random bytes named f0, f1, … with the given sizes.
    static func randomFiles(_ sizes: [Int], in directory: String) throws {
        for (i, size) in sizes.enumerated() { try sh("head -c \(size) /dev/urandom > f\(i)", in: directory) }
    }

    /// Copies `image` (a filesystem image) into `disk` at byte `offset`, in place.
    static func place(_ image: String, into disk: String, at offset: UInt64, in directory: String) throws {
        try sh("dd if=\(image) of=\(disk) bs=512 seek=\(offset / 512) conv=notrunc status=none", in: directory)
    }

    /// The partitions `sfdisk --json` lists: number (from the node name), start and size in sectors, type.
    static func sfdiskPartitions(_ disk: String, in directory: String) throws -> [(number: Int, start: UInt64, size: UInt64, type: String, name: String?)] {
        let json = try JSONParser.parse(try sh("sfdisk --json \(disk)", in: directory))
        guard case .object(let top) = json, case .object(let table)? = top.first(where: { $0.0 == "partitiontable" })?.1,
              case .array(let partitions)? = table.first(where: { $0.0 == "partitions" })?.1 else { return [] }
        return partitions.compactMap { value in
            guard case .object(let fields) = value else { return nil }
            func field(_ key: String) -> JSONValue? { fields.first { $0.0 == key }?.1 }
            guard case .string(let node)? = field("node"), case .string(let type)? = field("type") else { return nil }
            let number = Int(String(node.reversed().prefix { $0.isNumber }.reversed())) ?? 0
            var name: String?
            if case .string(let n)? = field("name") { name = n }
            return (number, field("start")?.unsigned ?? 0, field("size")?.unsigned ?? 0, type, name)
        }
    }

    /// The units The Sleuth Kit calls unallocated (`blkls -A -l`) in the volume at sector
    /// `sectorOffset` of `disk`, as guest byte extents (`unit` bytes each, the volume at `volumeStart`).
    static func tskFreeExtents(_ disk: String, sectorOffset: UInt64, unit: UInt64, in directory: String) throws -> [GuestExtent] {
        let text = try sh("blkls -A -l -o \(sectorOffset) \(disk)", in: directory)
        let units = text.split(separator: "\n").compactMap { line -> UInt64? in
            let parts = line.split(separator: "|")
            guard parts.count == 2, parts[1] == "f" else { return nil }
            return UInt64(parts[0])
        }
        return extents(units: units, unit: unit, base: sectorOffset * 512)
    }

    /// Where The Sleuth Kit's `fsstat` puts the end of a FAT volume's last cluster (volume-relative
    /// bytes): the cluster area's first sector plus (last cluster − 1) clusters.
    static func fatClusterAreaEnd(_ disk: String, sectorOffset: UInt64, in directory: String) throws -> UInt64 {
        let text = try sh("fsstat -o \(sectorOffset) \(disk)", in: directory)
        func numbers(after prefix: String) -> [UInt64] {
            let line = text.split(separator: "\n").first { $0.contains(prefix) } ?? ""
            return line.split(whereSeparator: { !$0.isNumber }).compactMap { UInt64($0) }
        }
        let area = numbers(after: "Cluster Area:"), size = numbers(after: "Cluster Size:"), range = numbers(after: "Total Cluster Range:")
        guard let first = area.first, let clusterSize = size.first, let last = range.last else { return 0 }
        return first * 512 + (last - 1) * clusterSize
    }

    /// Sorted unit numbers → merged byte extents.
    static func extents(units: [UInt64], unit: UInt64, base: UInt64) -> [GuestExtent] {
        var out: [GuestExtent] = []
        for u in units.sorted() {
            let start = base + u * unit
            if let last = out.last, last.end == start { out[out.count - 1].length += unit } else {
                out.append(GuestExtent(start: start, length: unit))
            }
        }
        return out
    }

    /// The layout of the raw disk file at `path`.
    static func layout(_ path: String) throws -> GuestDiskLayout {
        GuestDiskLayout.read(VolumeReader(source: try ReadOnlyFile(path: path)))
    }
}

extension Array where Element == GuestExtent {
    /// The extents cut at `end`.
    func clipped(below end: UInt64) -> [GuestExtent] {
        compactMap { $0.start >= end ? nil : GuestExtent(start: $0.start, length: Swift.min($0.end, end) - $0.start) }
    }
}

extension JSONValue {
    var unsigned: UInt64? {
        switch self {
        case .int(let v): v >= 0 ? UInt64(v) : nil
        case .uint(let v): v
        default: nil
        }
    }
}
