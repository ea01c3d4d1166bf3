import Foundation
import Guest

/// What `dumpe2fs` says of an ext filesystem: block and cluster size, the superblock's free count,
/// and per group the descriptor's free count and the free ranges from the bitmaps (dumpe2fs reads
/// the bitmaps through libext2fs, which synthesises BLOCK_UNINIT groups).
struct DumpE2fsOracle {
    var blockSize: UInt64 = 0
    var clusterSize: UInt64 = 0
    var superblockFree: UInt64 = 0
    var blockCount: UInt64 = 0
    var groupFree: [UInt64] = []
    /// Free clusters as half-open cluster ranges, merged.
    var freeClusters: [Range<UInt64>] = []

    init(_ path: String, in directory: String) throws {
        let text = try GuestDiskMaker.run("dumpe2fs", [path], in: directory)
        var ranges: [Range<UInt64>] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let v = Self.value(line, "Block size:") { blockSize = v }
            if let v = Self.value(line, "Cluster size:") { clusterSize = v }
            if let v = Self.value(line, "Free blocks:"), !line.hasPrefix(" ") { superblockFree = v }
            if let v = Self.value(line, "Block count:") { blockCount = v }
            if line.hasPrefix("  "), trimmed.contains(" free blocks, ") || trimmed.contains(" free clusters, "),
               let n = UInt64(trimmed.prefix { $0.isNumber }) {
                groupFree.append(n)
            }
            if line.hasPrefix("  Free blocks:") {
                let list = line.dropFirst("  Free blocks:".count)
                for item in list.split(separator: ",") {
                    let bounds = item.trimmingCharacters(in: .whitespaces).split(separator: "-").compactMap { UInt64($0) }
                    guard let low = bounds.first else { continue }
                    ranges.append(low..<(bounds.last ?? low) + 1)
                }
            }
        }
        if clusterSize == 0 { clusterSize = blockSize }
        let ratio = clusterSize / max(blockSize, 1)
        freeClusters = Self.merge(ranges.map { ($0.lowerBound / ratio)..<(($0.upperBound - 1) / ratio + 1) })
    }

    private static func value(_ line: Substring, _ key: String) -> UInt64? {
        guard line.hasPrefix(key) else { return nil }
        return UInt64(line.dropFirst(key.count).trimmingCharacters(in: .whitespaces))
    }

    static func merge(_ ranges: [Range<UInt64>]) -> [Range<UInt64>] {
        var out: [Range<UInt64>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, r.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }
}

extension FilesystemInfo {
    /// The free extents as unit ranges relative to the volume starting at `start`.
    func freeUnits(volumeStart start: UInt64) -> [Range<UInt64>] {
        guard let size = blockSize, size > 0 else { return [] }
        return freeExtents.map { (($0.start - start) / size)..<(($0.end - start) / size) }
    }
}
