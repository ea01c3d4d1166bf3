/// One L1 table entry (spec, "L1 table entry").
public struct L1Entry: Sendable, Hashable {
    public var raw: UInt64
    @inline(__always) public init(raw: UInt64) { self.raw = raw }
    /// Offset of the L2 table, 0 when unallocated.
    @inline(__always) public var l2Offset: UInt64 { raw & Qcow2.l1OffsetMask }
    @inline(__always) public var isCopied: Bool { raw & Qcow2.copiedFlag != 0 }
    @inline(__always) public var reservedBits: UInt64 { raw & Qcow2.l1ReservedMask }
}

/// One refcount table entry (spec, "Refcount table entry").
public struct RefcountTableEntry: Sendable, Hashable {
    public var raw: UInt64
    @inline(__always) public init(raw: UInt64) { self.raw = raw }
    @inline(__always) public var blockOffset: UInt64 { raw & Qcow2.refcountTableOffsetMask }
    @inline(__always) public var reservedBits: UInt64 { raw & Qcow2.refcountTableReservedMask }
}

/// Decoding of refcount block entries of any width (spec, "Refcount block entry").
public enum RefcountBlock {
    /// The refcount at `index` in a block, for refcount_order 0-6. Sub-byte widths are packed
    /// LSB-first ("bit 0 means the least significant bit"); wider ones are big-endian words.
    @inline(__always)
    public static func refcount(in block: UnsafeRawBufferPointer, index: Int, order: UInt32) -> UInt64 {
        switch order {
        case 0, 1, 2:
            let bits = 1 << Int(order)
            let perByte = 8 >> Int(order)
            let byte = block[index / perByte]
            let shift = (index % perByte) * bits
            return UInt64((byte >> UInt8(shift)) & UInt8((1 << bits) - 1))
        case 3: return UInt64(block[index])
        case 4: return UInt64(block.be16(at: index * 2))
        case 5: return UInt64(block.be32(at: index * 4))
        default: return block.be64(at: index * 8)
        }
    }

    /// The largest refcount a width can hold.
    public static func maxRefcount(order: UInt32) -> UInt64 {
        order >= 6 ? UInt64.max : (1 << (UInt64(1) << UInt64(order))) - 1
    }
}
