import Guest

/// What the explorer asks of a ``VolumeUsage`` per guest cluster (the guest map's `v` layer, the
/// cursor panel, the cluster drill-down): answered from the sorted class runs and extent lists by
/// binary search, nothing per block.
extension VolumeUsage {
    /// What the guest filesystem says of a guest range, for colouring one cell of the guest map.
    public enum Coverage: Sendable, Hashable {
        /// Some byte is used by a filesystem (or shares an allocation unit with used bytes).
        case inUse
        /// Free in the filesystem and allocated in this file: reclaimable.
        case freeAllocated
        /// Free in the filesystem and not allocated in this file: nothing to gain.
        case freeUnallocated
        /// In no volume.
        case outsideVolumes
        /// In a volume whose filesystem is not analysed.
        case notAnalysed
    }

    /// The class of guest `[start, end)`: the strongest class of its bytes (in use before not
    /// analysed before outside volumes before free); free ranges are split by whether any byte of
    /// them is allocated in this file.
    public func coverage(from start: UInt64, to end: UInt64) -> Coverage {
        switch GuestClassRun.strongest(in: classes, from: start, to: max(end, start + 1)) {
        case .inUse: return .inUse
        case .notAnalysed: return .notAnalysed
        case .outsideVolumes: return .outsideVolumes
        case .free: return GuestExtents.covered(allocated, from: start, to: end) > 0 ? .freeAllocated : .freeUnallocated
        }
    }

    /// Where guest byte `offset` is: the volume (index into ``volumes``), the filesystem allocation
    /// unit holding it (counted from the volume's first byte along its segments, as the filesystem
    /// numbers its blocks; nil when the volume is not analysed), whether the filesystem uses it
    /// (nil when not analysed), and whether it is allocated in this file.
    public struct Location: Sendable, Hashable {
        public var volume: Int?
        public var block: UInt64?
        public var inUse: Bool?
        public var allocated: Bool
    }

    public func locate(_ offset: UInt64) -> Location {
        let allocatedHere = GuestExtents.contains(allocated, offset)
        let i = GuestClassRun.first(in: classes, endingAfter: offset)
        guard i < classes.count, classes[i].start <= offset, let index = classes[i].volume else {
            return Location(volume: nil, block: nil, inUse: nil, allocated: allocatedHere)
        }
        let v = volumes[index]
        guard v.isAnalysed, let blockSize = v.volume.filesystem.blockSize, blockSize > 0 else {
            return Location(volume: index, block: nil, inUse: nil, allocated: allocatedHere)
        }
        // A logical volume numbers its blocks along its segments; anything else from its start (an
        // LVM physical volume's segments skip the logical volumes, its extents do not).
        guard v.volume.table == .lvm else {
            return Location(volume: index, block: (offset - v.volume.start) / blockSize,
                            inUse: !GuestExtents.contains(v.freeExtents, offset), allocated: allocatedHere)
        }
        var logical: UInt64 = 0
        for segment in v.volume.segments {
            if offset >= segment.start && offset < segment.end {
                logical += offset - segment.start
                break
            }
            logical += segment.length
        }
        return Location(volume: index, block: logical / blockSize, inUse: !GuestExtents.contains(v.freeExtents, offset),
                        allocated: allocatedHere)
    }
}
