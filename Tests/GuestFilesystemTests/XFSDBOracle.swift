import Foundation

/// What `xfs_db -r` says of an XFS filesystem: the free extents `freesp -d` lists (the free list's
/// blocks and the by-block B+tree's records), the superblock's fdblocks and every AGF's btreeblks.
struct XFSDBOracle {
    var blockSize: UInt64 = 0
    var agBlocks: UInt64 = 0
    var fdblocks: UInt64 = 0
    var btreeBlocks: UInt64 = 0
    /// Free blocks as merged half-open ranges of filesystem-relative block numbers (agno·agblocks + agbno).
    var freeBlocks: [Range<UInt64>] = []
    var freeTotal: UInt64 = 0

    init(_ path: String, in directory: String) throws {
        let header = try GuestDiskMaker.run("xfs_db", ["-r", "-c", "sb 0", "-c", "p blocksize agblocks agcount fdblocks", path], in: directory)
        var agCount: UInt64 = 0
        for line in header.split(separator: "\n") {
            let parts = line.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let v = UInt64(parts[1]) else { continue }
            switch parts[0] {
            case "blocksize": blockSize = v
            case "agblocks": agBlocks = v
            case "agcount": agCount = v
            case "fdblocks": fdblocks = v
            default: break
            }
        }
        var agfCommands: [String] = []
        for ag in 0..<agCount { agfCommands += ["-c", "agf \(ag)", "-c", "p btreeblks"] }
        let agfs = try GuestDiskMaker.run("xfs_db", ["-r"] + agfCommands + [path], in: directory)
        for line in agfs.split(separator: "\n") where line.hasPrefix("btreeblks = ") {
            btreeBlocks += UInt64(line.dropFirst("btreeblks = ".count)) ?? 0
        }
        let dump = try GuestDiskMaker.run("xfs_db", ["-r", "-c", "freesp -d", path], in: directory)
        var ranges: [Range<UInt64>] = []
        for line in dump.split(separator: "\n") {
            let fields = line.split(separator: " ").compactMap { UInt64($0) }
            // "agno agbno len" rows; the histogram that follows has four or five columns.
            guard fields.count == 3, !line.contains(".") else { continue }
            let start = fields[0] * agBlocks + fields[1]
            ranges.append(start..<start + fields[2])
            freeTotal += fields[2]
        }
        freeBlocks = DumpE2fsOracle.merge(ranges)
    }
}
