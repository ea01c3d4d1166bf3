import Qcow2

/// Whether an internal XFS log is clean: its last record is an unmount record (Linux
/// fs/xfs/xfs_log_recover.c xlog_find_head / xlog_check_unmount_rec; guest-formats.md §6).
///
/// Cheap: the head is found by a binary search on the cycle numbers that start every 512-byte basic
/// block (about log2(log blocks) reads of 512 bytes), then the record header just before it is read.
/// Torn writes near the head are not second-guessed: anything that is not plainly an unmount record
/// reads as dirty.
struct XFSLog {
    static let recordMagic: UInt32 = 0xFEED_BABE
    static let unmountFlag: UInt8 = 0x20
    /// Basic blocks searched back from the head for the last record header (a record is at most
    /// 256 KiB of data plus its headers).
    static let maxBackSearch: UInt64 = 1024

    enum State: Equatable { case clean, dirty(String) }

    let volume: VolumeReader
    /// Start of the log, relative to the volume, and its length in 512-byte basic blocks.
    let start: UInt64
    let basicBlocks: UInt64

    /// Reads basic block `bb` of the log.
    private func block(_ bb: UInt64) throws(FormatError) -> [UInt8] {
        try volume.bytes(512, at: start + bb * 512, for: .xfsLog)
    }

    /// The cycle number of a basic block: a record header keeps it at +4, every other block at +0.
    private func cycle(_ bytes: [UInt8]) -> UInt32 {
        bytes.be32(0) == Self.recordMagic ? bytes.be32(4) : bytes.be32(0)
    }

    func state() throws(FormatError) -> State {
        guard basicBlocks >= 2 else { return .dirty("the log is too small") }
        let firstCycle = cycle(try block(0))
        let lastCycle = cycle(try block(basicBlocks - 1))
        if firstCycle == 0 && lastCycle == 0 { return .dirty("the log has never been written (all cycles 0)") }
        var head: UInt64 = 0
        if firstCycle != lastCycle {
            var low: UInt64 = 0, high = basicBlocks - 1
            while high - low > 1 {
                let middle = low + (high - low) / 2
                if cycle(try block(middle)) == firstCycle { low = middle } else { high = middle }
            }
            head = high
        }
        // The last record header before the head, wrapping at the start of the log.
        var distance: UInt64 = 1
        var found: (bb: UInt64, bytes: [UInt8])?
        while distance <= min(Self.maxBackSearch, basicBlocks) {
            let bb = (head + basicBlocks - distance) % basicBlocks
            let bytes = try block(bb)
            if bytes.be32(0) == Self.recordMagic { found = (bb, bytes); break }
            distance += 1
        }
        guard let (bb, header) = found else { return .dirty("no log record header before the head (basic block \(head))") }
        let version = header.be32(0x08), length = UInt64(header.be32(0x0C)), operations = header.be32(0x28)
        let size = UInt64(header.be32(0x140))
        let headerBlocks: UInt64 = version & 2 != 0 && size > 32768 ? (size + 32767) / 32768 : 1
        let dataBlocks = (length + 511) / 512
        guard operations == 1, (bb + headerBlocks + dataBlocks) % basicBlocks == head else {
            return .dirty("the last log record (basic block \(bb), \(operations) operations) is not a lone unmount record at the head")
        }
        let operation = try block((bb + headerBlocks) % basicBlocks)
        guard operation[9] & Self.unmountFlag != 0 else {
            return .dirty("the last log record (basic block \(bb)) is not an unmount record")
        }
        return .clean
    }
}
