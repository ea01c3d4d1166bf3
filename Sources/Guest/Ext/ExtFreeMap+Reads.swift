import Qcow2

extension ExtFreeMap {
    /// Most ranges kept for uninitialised groups' metadata placed in other groups (flex_bg places
    /// them contiguously, so a real filesystem needs a handful after merging).
    static let maxElsewhereRanges = 1 << 20

    /// The bitmap blocks of a chunk's initialised groups, read in runs of consecutive blocks; nil
    /// for groups that have none to read (BLOCK_UNINIT, unreadable, or a bitmap outside the volume —
    /// the latter a finding, the group then counted as in use).
    mutating func readBitmaps(_ chunk: Range<UInt64>, _ descriptors: [ExtGroupDescriptor?]) -> [ArraySlice<UInt8>?] {
        let layout = layout, volume = volume
        var result = [ArraySlice<UInt8>?](repeating: nil, count: descriptors.count)
        var wanted: [(block: UInt64, slot: Int)] = []
        for (slot, descriptor) in descriptors.enumerated() {
            let group = chunk.lowerBound + UInt64(slot)
            guard let descriptor, layout.groupMapBlocks(group) > 0,
                  !(layout.groupDescriptorChecksums && descriptor.isBlockUninit) else { continue }
            let block = descriptor.blockBitmap
            guard block != 0, block < layout.mapBlocks else {
                findings.append(Finding(.error, .extGroupDescriptors, at: volume.guestOffset(layout.descriptorOffset(group)),
                    "group \(group): block bitmap at block \(block) lies outside the volume (\(layout.mapBlocks) blocks); its blocks are counted as in use"))
                continue
            }
            wanted.append((block, slot))
        }
        wanted.sort { $0.block < $1.block }
        let maxBlocks = max(1, ExtDescriptorTable.maxRead / layout.blockSize)
        var i = 0
        while i < wanted.count {
            let first = wanted[i].block
            var last = first
            var j = i + 1
            while j < wanted.count, wanted[j].block <= last + 1, wanted[j].block - first < maxBlocks {
                last = wanted[j].block
                j += 1
            }
            do throws(FormatError) {
                let size = layout.blockSize
                let bytes = try volume.bytes(Int((last - first + 1) * size), at: first * size, for: .extBlockBitmap)
                for k in i..<j {
                    let at = Int((wanted[k].block - first) * size)
                    result[wanted[k].slot] = bytes[at..<at + Int(size)]
                }
            } catch {
                findings.append(Finding(error))
            }
            i = j
        }
        return result
    }

    /// Bitmaps and inode tables of BLOCK_UNINIT groups that lie outside their own group (flex_bg),
    /// sorted and merged: e2fsprogs marks them in use wherever they are, so the group holding them
    /// must not call them free even if its own bitmap (or synthesised map) does.
    mutating func uninitMetadataOutsideOwnGroup(_ table: ExtDescriptorTable) -> [Range<UInt64>] {
        let layout = layout, volume = volume
        guard layout.groupDescriptorChecksums else { return [] }
        var ranges: [Range<UInt64>] = []
        var ignored = CappedFindings()
        var start: UInt64 = 0
        let total = min(layout.groupCount, layout.mapBlocks / layout.blocksPerGroup + 1)
        while start < total {
            let chunk = start..<min(total, start + 8 * layout.descPerBlock * 64)
            for (slot, descriptor) in table.descriptors(chunk, findings: &ignored).enumerated() {
                guard let descriptor, descriptor.isBlockUninit else { continue }
                let first = layout.groupFirstBlock(chunk.lowerBound + UInt64(slot))
                for range in ownMetadata(descriptor) {
                    let clipped = range.clamped(to: 0..<layout.mapBlocks)
                    guard !clipped.isEmpty, clipped.lowerBound < first || clipped.upperBound > first + layout.blocksPerGroup else { continue }
                    if let last = ranges.last, last.upperBound == clipped.lowerBound {
                        ranges[ranges.count - 1] = last.lowerBound..<clipped.upperBound
                    } else if ranges.count < Self.maxElsewhereRanges {
                        ranges.append(clipped)
                    } else {
                        findings.append(Finding(.warning, .extGroupDescriptors, at: volume.guestOffset(layout.descriptorOffset(chunk.lowerBound)),
                            "more than \(Self.maxElsewhereRanges) scattered metadata ranges of uninitialised groups; the rest are not subtracted"))
                        return ranges.merged()
                    }
                }
            }
            start = chunk.upperBound
        }
        return ranges.merged()
    }
}

extension Array where Element == Range<UInt64> {
    /// Sorted by lower bound, overlapping or touching ranges joined.
    func merged() -> [Range<UInt64>] {
        var result: [Range<UInt64>] = []
        for range in sorted(by: { $0.lowerBound < $1.lowerBound }) where !range.isEmpty {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<Swift.max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}
