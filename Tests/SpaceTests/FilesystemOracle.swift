import Guest
import Qcow2
import Analysis
import Foundation
import Reports
import TestSupport

/// What the filesystems' own tools say about a raw guest disk: its partitions (`sfdisk --json`)
/// and, for the kinds the test can ask a tool about independently, the free bytes as guest
/// extents: ext2/3/4 from `dumpe2fs` ("Free blocks:" ranges of every group), swap (all but its
/// first page, as mkswap lays it out).
struct ToolVolume {
    var start: UInt64
    var length: UInt64
    var kind: String
    /// Absolute guest byte extents, sorted and merged; nil when no tool answered.
    var free: [GuestExtent]?
    /// The partition image extracted from the disk (for e2fsck).
    var image: String
}

enum FilesystemOracle {
    static func volumes(raw: String, in directory: String) throws -> [ToolVolume] {
        let size = try ReadOnlyFile(path: raw).size
        var parts: [(start: UInt64, length: UInt64)] = []
        let table = try Tools.run(["sfdisk", "--json", raw], in: directory)
        if table.status == 0, let json = try? JSONParser.parse(table.stdout) {
            for p in json["partitiontable"]?["partitions"]?.items ?? [] {
                guard let start = p["start"]?.uint, let sectors = p["size"]?.uint else { continue }
                let type = p["type"]?.string ?? ""
                if ["5", "f", "85"].contains(type) { continue }   // extended containers are not volumes
                parts.append((start * 512, sectors * 512))
            }
        } else {
            parts = [(0, size)]
        }
        var out: [ToolVolume] = []
        for (index, p) in parts.enumerated() {
            let image = directory + "/part\(index).img"
            try runAll([["dd", "if=\(raw)", "of=\(image)", "bs=512", "skip=\(p.start / 512)", "count=\(p.length / 512)", "status=none"]],
                       in: directory)
            var volume = ToolVolume(start: p.start, length: p.length, kind: "unknown", free: nil, image: image)
            let dump = try Tools.run(["dumpe2fs", image], in: directory)
            if dump.status == 0 {
                volume.kind = "ext"
                volume.free = ext(dump.stdout, base: p.start)
            } else if let free = try xfs(image, base: p.start, in: directory) {
                volume.kind = "xfs"
                volume.free = free
            } else if try Tools.run(["blkid", "-p", "-s", "TYPE", "-o", "value", image], in: directory).stdout
                        .trimmingCharacters(in: .whitespacesAndNewlines) == "swap" {
                volume.kind = "swap"
                volume.free = [GuestExtent(start: p.start + 4096, length: (p.length / 4096 - 1) * 4096)]
            }
            out.append(volume)
        }
        return out
    }

    /// `xfs_db -r -c "freesp -d"`: every free extent (by-block B+tree and AG free lists) as
    /// "agno agbno len", in blocks of the superblock's blocksize, AGs of agblocks blocks.
    static func xfs(_ image: String, base: UInt64, in directory: String) throws -> [GuestExtent]? {
        let sb = try Tools.run(["xfs_db", "-r", "-c", "sb 0", "-c", "p agblocks blocksize", image], in: directory)
        guard sb.status == 0 else { return nil }
        var fields: [String: UInt64] = [:]
        for line in sb.stdout.split(separator: "\n") {
            let parts = line.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, let value = UInt64(parts[1]) { fields[parts[0]] = value }
        }
        guard let agblocks = fields["agblocks"], let blockSize = fields["blocksize"] else { return nil }
        let freesp = try Tools.run(["xfs_db", "-r", "-c", "freesp -d", image], in: directory)
        guard freesp.status == 0 else { return nil }
        var free: [GuestExtent] = []
        for line in freesp.stdout.split(separator: "\n") {
            let n = line.split(separator: " ").compactMap { UInt64($0) }
            guard n.count == 3 else { continue }
            free.append(GuestExtent(start: base + (n[0] * agblocks + n[1]) * blockSize, length: n[2] * blockSize))
        }
        return GuestExtents.normalised(free)
    }

    /// dumpe2fs's per-group "  Free blocks: a-b, c" lines as byte extents from `base`.
    static func ext(_ text: String, base: UInt64) -> [GuestExtent] {
        var blockSize: UInt64 = 1024
        var free: [GuestExtent] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("Block size:") {
                blockSize = UInt64(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 1024
            }
            guard line.hasPrefix("  Free blocks: ") else { continue }
            for range in line.dropFirst("  Free blocks: ".count).split(separator: ",") {
                let ends = range.trimmingCharacters(in: .whitespaces).split(separator: "-").compactMap { UInt64($0) }
                guard let first = ends.first else { continue }
                let last = ends.last ?? first
                free.append(GuestExtent(start: base + first * blockSize, length: (last - first + 1) * blockSize))
            }
        }
        return GuestExtents.normalised(free)
    }

    /// `qemu-img map --output=json`: ranges the image itself (depth 0) holds data for.
    static func allocated(_ image: String, in directory: String) throws -> [GuestExtent] {
        let map = try Tools.run(["qemu-img", "map", "--output=json", image], in: directory)
        let json = try JSONParser.parse(map.stdout)
        var out: [GuestExtent] = []
        for e in json.items where e["depth"]?.uint == 0 && e["data"]?.bool == true && e["present"]?.bool == true {
            if let s = e["start"]?.uint, let l = e["length"]?.uint { out.append(GuestExtent(start: s, length: l)) }
        }
        return GuestExtents.normalised(out)
    }

    /// The allocation unit: the cluster, or its 32nd with extended L2 (`qemu-img info`).
    static func unit(_ image: String, in directory: String) throws -> UInt64 {
        let info = try JSONParser.parse(try Tools.run(["qemu-img", "info", "--output=json", image], in: directory).stdout)
        let cluster = info["cluster-size"]?.uint ?? 65536
        return info["format-specific"]?["data"]?["extended-l2"]?.bool == true ? cluster / 32 : cluster
    }

    /// Reclaimable bytes of `volume` counted unit by unit, independently of VolumeUsage: the
    /// allocated bytes of each allocation unit whose bytes inside the volume are all free.
    static func reclaimable(volume: ToolVolume, free: [GuestExtent], allocated: [GuestExtent], unit: UInt64) -> UInt64 {
        var total: UInt64 = 0
        let vEnd = volume.start + volume.length
        for a in allocated {
            var u = a.start / unit * unit
            while u < a.end {
                let from = max(u, volume.start, a.start), to = min(u + unit, vEnd, a.end)
                let inVolumeFrom = max(u, volume.start), inVolumeTo = min(u + unit, vEnd)
                if from < to, covered(free, inVolumeFrom, inVolumeTo) { total += to - from }
                u += unit
            }
        }
        return total
    }

    /// Whether `[from, to)` lies entirely in `free`.
    static func covered(_ free: [GuestExtent], _ from: UInt64, _ to: UInt64) -> Bool {
        guard let i = GuestExtents.index(in: free, containing: from) else { return false }
        return free[i].end >= to
    }
}
