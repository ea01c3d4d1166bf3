/// One entry of the bitmap directory (spec, "Bitmap directory").
public struct BitmapDirectoryEntry: Sendable, Hashable {
    public var index: Int
    /// Absolute offset of this entry in the file.
    public var entryOffset: UInt64
    public var tableOffset: UInt64
    /// Entries in the bitmap table.
    public var tableSize: UInt32
    public var flags: UInt32
    public var type: UInt8
    public var granularityBits: UInt8
    public var name: RawString
    public var extraData: [UInt8]

    public static let inUseFlag: UInt32 = 1 << 0
    public static let autoFlag: UInt32 = 1 << 1
    public static let extraDataCompatibleFlag: UInt32 = 1 << 2
    /// The one type the spec defines: a dirty tracking bitmap.
    public static let dirtyTrackingType: UInt8 = 1

    public var isInUse: Bool { flags & Self.inUseFlag != 0 }
    public var isAuto: Bool { flags & Self.autoFlag != 0 }
    public var isExtraDataCompatible: Bool { flags & Self.extraDataCompatibleFlag != 0 }
    public var reservedFlags: UInt32 { flags & ~7 }
    /// Bytes of virtual disk per bit, nil when granularity_bits ≥ 64.
    public var granularity: UInt64? { granularityBits < 64 ? 1 << UInt64(granularityBits) : nil }

    /// Flag names as `qemu-img info` lists them ("in-use", "auto").
    public var flagNames: [String] {
        var names: [String] = []
        if isInUse { names.append("in-use") }
        if isAuto { names.append("auto") }
        return names
    }

    /// Byte length of the entry, padding included.
    public var entryLength: Int { (Qcow2.bitmapEntryHeaderSize + extraData.count + name.bytes.count + 7) & ~7 }

    /// The number of bitmap table entries a bitmap of this granularity needs for `virtualSize`
    /// (bits rounded up to bytes, bytes to clusters), nil when the granularity is unusable.
    public func expectedTableSize(virtualSize: UInt64, clusterSize: UInt64) -> UInt64? {
        guard let g = granularity, g > 0, clusterSize > 0 else { return nil }
        let bits = virtualSize / g + (virtualSize % g == 0 ? 0 : 1)
        let bytes = bits / 8 + (bits % 8 == 0 ? 0 : 1)
        return bytes / clusterSize + (bytes % clusterSize == 0 ? 0 : 1)
    }
}

/// One bitmap table entry (spec, "Bitmap table").
public struct BitmapTableEntry: Sendable, Hashable {
    public var raw: UInt64
    public init(raw: UInt64) { self.raw = raw }
    /// Bits 9-55: the data cluster, 0 when unallocated.
    public var dataOffset: UInt64 { raw & Qcow2.offsetMask }
    /// For an unallocated entry, bit 0 says the cluster reads as all ones.
    public var readsAsAllOnes: Bool { dataOffset == 0 && raw & 1 != 0 }
    /// Reserved bits that must be zero (bit 0 too when an offset is set).
    public var hasReservedBits: Bool {
        raw & Qcow2.bitmapTableReservedMask != 0 || (dataOffset != 0 && raw & 1 != 0)
    }
}
