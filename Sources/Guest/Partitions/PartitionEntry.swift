import Qcow2

/// One partition a table names, before its contents are probed: where it is, its number in the
/// table and its type, in guest bytes.
struct PartitionEntry: Sendable, Hashable {
    /// Number in its table: GPT entry index from 1; MBR primaries 1–4, logical partitions from 5.
    var number: Int
    /// First guest byte and length in bytes.
    var start: UInt64
    var length: UInt64
    /// GPT type GUID (upper-case, dashed) or MBR type byte as `"0x83"`.
    var type: String
    /// The GPT partition name (UTF-16LE in the entry); nil for MBR.
    var name: String?
}

/// What a partition-table reader found: the kind of table, its partitions in table order, and the
/// problems it met (offsets are guest offsets).
struct PartitionScan: Sendable {
    var table: PartitionTableKind
    var partitions: [PartitionEntry]
    var findings: [Finding]
}

extension PartitionEntry {
    /// The entry clipped to a disk of `diskSize` bytes, with a finding when it runs past the end or
    /// starts beyond it (nil then: nothing of it is on the disk). `structure`/`at` name the table
    /// entry that claimed it.
    func clipped(to diskSize: UInt64, structure: Structure, at offset: UInt64,
                 findings: inout [Finding]) -> PartitionEntry? {
        guard start < diskSize else {
            findings.append(Finding(.error, structure, at: offset,
                                    "partition \(number) starts at \(hex(start)), past the end of the disk (\(diskSize) bytes)"))
            return nil
        }
        let (end, overflow) = start.addingReportingOverflow(length)
        guard overflow || end > diskSize else { return self }
        findings.append(Finding(.warning, structure, at: offset,
                                "partition \(number) (\(hex(start))+\(length) bytes) runs past the end of the disk (\(diskSize) bytes); clipped"))
        var entry = self
        entry.length = diskSize - start
        return entry
    }
}
