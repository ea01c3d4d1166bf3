import Qcow2

/// Reads the group descriptors of a range of groups in as few reads as the table's placement
/// allows: the classic table is one contiguous run of blocks (a 1 TiB ext4's is 512 KiB), and meta_bg
/// tables are one block per meta group, read run by run where consecutive.
struct ExtDescriptorTable {
    let volume: VolumeReader
    let layout: ExtLayout
    /// Bytes per read (the table is read in runs of at most this).
    static let maxRead: UInt64 = 1 << 20

    /// The descriptors of `groups`; nil for a group whose descriptor block could not be read (a
    /// finding says where).
    func descriptors(_ groups: Range<UInt64>, findings: inout CappedFindings) -> [ExtGroupDescriptor?] {
        var result = [ExtGroupDescriptor?](repeating: nil, count: Int(groups.count))
        guard !groups.isEmpty else { return result }
        let perBlock = layout.descPerBlock
        let lastIndex = (groups.upperBound - 1) / perBlock
        let maxBlocks = max(1, Self.maxRead / layout.blockSize)
        var index = groups.lowerBound / perBlock
        while index <= lastIndex {
            let first = layout.descriptorBlock(index)
            var count: UInt64 = 1
            while index + count <= lastIndex, count < maxBlocks,
                  !first.addingReportingOverflow(count).overflow,
                  layout.descriptorBlock(index + count) == first &+ count { count += 1 }
            defer { index += count }
            let (offset, overflow) = first.multipliedReportingOverflow(by: layout.blockSize)
            do throws(FormatError) {
                guard !overflow, first < layout.blocksCount else {
                    throw FormatError(.extGroupDescriptors, at: volume.guestOffset(overflow ? .max : offset),
                                      "descriptor block \(index) at block \(first) lies outside the filesystem")
                }
                let bytes = try volume.bytes(Int(count * layout.blockSize), at: offset, for: .extGroupDescriptors)
                let covered = max(groups.lowerBound, index * perBlock)..<min(groups.upperBound, (index + count) * perBlock)
                for group in covered {
                    let at = Int((group - index * perBlock) * UInt64(layout.descSize))
                    result[Int(group - groups.lowerBound)] = ExtGroupDescriptor(bytes, at: at, long: layout.descSize >= 64)
                }
            } catch {
                findings.append(Finding(error))
            }
        }
        return result
    }
}
