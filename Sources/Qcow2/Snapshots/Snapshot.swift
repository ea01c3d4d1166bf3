/// One entry of the snapshot table (spec, "Snapshots"), with its known extra data decoded and
/// unknown extra data kept.
public struct Snapshot: Sendable, Hashable {
    /// Position in the snapshot table (0-based).
    public var index: Int
    /// Absolute offset of this entry in the file.
    public var entryOffset: UInt64
    public var l1TableOffset: UInt64
    public var l1Size: UInt32
    public var id: RawString
    public var name: RawString
    public var dateSeconds: UInt32
    public var dateNanoseconds: UInt32
    /// Guest run time when taken, in nanoseconds.
    public var vmClockNanoseconds: UInt64
    /// The 32-bit VM state size (bytes 32-35); ignored when the 64-bit one is present.
    public var vmStateSize32: UInt32
    public var extraDataSize: UInt32
    /// Extra data bytes 40-47, 48-55, 56-63 when present.
    public var vmStateSizeLarge: UInt64?
    public var diskSize: UInt64?
    public var icountRaw: UInt64?
    /// Extra data past the fields the spec defines.
    public var unknownExtraData: [UInt8]

    /// The VM state size in effect: the 64-bit field when present (spec), else the 32-bit one.
    public var vmStateSize: UInt64 { vmStateSizeLarge ?? UInt64(vmStateSize32) }
    /// The record/replay instruction count, nil when absent or -1 (icount disabled).
    public var icount: UInt64? { icountRaw.flatMap { $0 == UInt64.max ? nil : $0 } }
    /// Byte length of this entry in the table, padding included.
    public var entryLength: Int {
        (Qcow2.snapshotEntryHeaderSize + Int(extraDataSize) + id.bytes.count + name.bytes.count + 7) & ~7
    }
}
