import Qcow2

/// Walks an ext filesystem's block bitmaps group by group into free guest extents.
///
/// Groups are handled in chunks (about 4 MiB of bitmaps each): the chunk's descriptors are read in one
/// batch, the bitmap blocks of its initialised groups sorted and read in runs of consecutive blocks
/// (flex_bg packs 16 or more together), and each bitmap decoded a word at a time. BLOCK_UNINIT groups
/// read no bitmap: their used blocks are computed from the layout as e2fsprogs does (read_bitmaps
/// then mark_uninit_bg_group_blocks): the superblock copy and descriptor blocks, plus the group's own
/// bitmaps and inode table wherever they are.
struct ExtFreeMap {
    let volume: VolumeReader
    let layout: ExtLayout
    var findings = CappedFindings()
    var builder: FreeExtentBuilder
    /// Groups whose bitmap was not read (BLOCK_UNINIT).
    var uninitGroups: UInt64 = 0
    /// Groups counted as entirely in use because their descriptor or bitmap could not be read.
    var unreadableGroups: UInt64 = 0
    /// Sum of the descriptors' free counts (clusters) over the groups read.
    var descriptorFree: UInt64 = 0
    /// Groups whose descriptor free count differs from the map: (group, descriptor, map).
    var mismatches: [(group: UInt64, descriptor: UInt64, map: UInt64)] = []
    var mismatchCount: UInt64 = 0

    init(volume: VolumeReader, layout: ExtLayout) {
        self.volume = volume
        self.layout = layout
        builder = FreeExtentBuilder(base: volume.start, unitSize: layout.clusterSize)
    }

    /// Groups per chunk: about 4 MiB of bitmap blocks, whole descriptor blocks.
    private var chunkGroups: UInt64 {
        let groups = max(1, (4 << 20) / layout.blockSize)
        return (groups + layout.descPerBlock - 1) / layout.descPerBlock * layout.descPerBlock
    }

    /// Groups that have blocks inside the free map.
    private var mapGroups: UInt64 {
        guard layout.mapBlocks > layout.firstDataBlock else { return 0 }
        let span = layout.mapBlocks - layout.firstDataBlock
        return min(layout.groupCount, span / layout.blocksPerGroup + (span % layout.blocksPerGroup == 0 ? 0 : 1))
    }

    mutating func run() {
        let table = ExtDescriptorTable(volume: volume, layout: layout)
        let elsewhere = uninitMetadataOutsideOwnGroup(table)
        var extraIndex = 0
        var start: UInt64 = 0
        while start < mapGroups {
            let chunk = start..<min(mapGroups, start + chunkGroups)
            let descriptors = table.descriptors(chunk, findings: &findings)
            let bitmaps = readBitmaps(chunk, descriptors)
            for group in chunk {
                let first = layout.groupFirstBlock(group)
                while extraIndex < elsewhere.count, elsewhere[extraIndex].upperBound <= first { extraIndex += 1 }
                let slot = Int(group - chunk.lowerBound)
                analyse(group, descriptors[slot], bitmaps[slot], elsewhere[extraIndex...])
            }
            start = chunk.upperBound
        }
    }

    /// One group: its free runs (from the bitmap, or synthesised when BLOCK_UNINIT), minus blocks
    /// other uninitialised groups keep here, into the builder; checks the descriptor's free count.
    private mutating func analyse(_ group: UInt64, _ descriptor: ExtGroupDescriptor?, _ bitmap: ArraySlice<UInt8>?,
                                  _ elsewhere: ArraySlice<Range<UInt64>>) {
        let first = layout.groupFirstBlock(group)
        let blocks = layout.groupMapBlocks(group)
        let clusters = (blocks + layout.ratio - 1) / layout.ratio
        guard let descriptor else { unreadableGroups += 1; return }
        descriptorFree &+= descriptor.freeClusters
        var runs: [Range<UInt64>]
        var used: [Range<UInt64>] = []
        if layout.groupDescriptorChecksums && descriptor.isBlockUninit {
            uninitGroups += 1
            runs = [0..<clusters]
            used = layout.reservedRanges(group) + ownMetadata(descriptor)
        } else if let bitmap {
            runs = []
            bitmap.withUnsafeBytes { raw in
                BitmapRuns.forEachClearRun(in: raw, bits: Int(clusters)) { start, length in
                    runs.append(UInt64(start)..<UInt64(start + length))
                }
            }
        } else {
            unreadableGroups += 1
            return
        }
        for range in elsewhere {
            if range.lowerBound >= first + blocks { break }
            used.append(range)
        }
        if !used.isEmpty {
            let inGroup = used.compactMap { clusterRange($0, groupFirst: first, blocks: blocks) }
            runs = RangeSet.subtract(runs, inGroup.sorted { $0.lowerBound < $1.lowerBound })
        }
        var free: UInt64 = 0
        let firstCluster = first / layout.ratio
        for run in runs {
            free += UInt64(run.count)
            builder.add(unit: firstCluster + run.lowerBound, count: UInt64(run.count))
        }
        if blocks == layout.blocksPerGroup || first + blocks == layout.blocksCount, free != descriptor.freeClusters {
            mismatchCount += 1
            if mismatches.count < 8 { mismatches.append((group, descriptor.freeClusters, free)) }
        }
    }

    /// `range` (absolute blocks) as clusters relative to the group starting at block `groupFirst`,
    /// clipped to its `blocks`; nil when they do not meet.
    private func clusterRange(_ range: Range<UInt64>, groupFirst: UInt64, blocks: UInt64) -> Range<UInt64>? {
        let low = max(range.lowerBound, groupFirst), high = min(range.upperBound, groupFirst + blocks)
        guard low < high else { return nil }
        let lowCluster = (low - groupFirst) / layout.ratio
        let highCluster = (high - groupFirst + layout.ratio - 1) / layout.ratio
        return lowCluster..<highCluster
    }

    /// A group's own block bitmap, inode bitmap and inode table (absolute blocks; zero = none).
    func ownMetadata(_ d: ExtGroupDescriptor) -> [Range<UInt64>] {
        var ranges: [Range<UInt64>] = []
        if d.inodeTable != 0 {
            let end = d.inodeTable.addingReportingOverflow(layout.inodeBlocksPerGroup)
            ranges.append(d.inodeTable..<(end.overflow ? .max : end.partialValue))
        }
        if d.blockBitmap != 0, d.blockBitmap < .max { ranges.append(d.blockBitmap..<d.blockBitmap + 1) }
        if d.inodeBitmap != 0, d.inodeBitmap < .max { ranges.append(d.inodeBitmap..<d.inodeBitmap + 1) }
        return ranges
    }
}
