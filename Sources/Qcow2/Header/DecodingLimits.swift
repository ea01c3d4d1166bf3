/// Limits on what decoding will read, follow or allocate, as swift-protobuf's decoding options.
///
/// The defaults are QEMU's own implementation limits, so any image QEMU opens is accepted, and a
/// crafted header can never make qcowscope allocate or loop more than these allow.
public struct DecodingLimits: Sendable, Hashable {
    /// Largest active or snapshot L1 table, in bytes (QEMU: QCOW_MAX_L1_SIZE, 32 MiB).
    public var maxL1TableBytes: UInt64 = Qcow2.maxL1TableBytes
    /// Largest refcount table, in bytes (QEMU: QCOW_MAX_REFTABLE_SIZE, 8 MiB).
    public var maxRefcountTableBytes: UInt64 = Qcow2.maxRefcountTableBytes
    /// Most snapshots decoded (QEMU: QCOW_MAX_SNAPSHOTS).
    public var maxSnapshots: UInt32 = Qcow2.maxSnapshots
    /// Most bitmaps decoded (QEMU: QCOW2_MAX_BITMAPS).
    public var maxBitmaps: UInt32 = Qcow2.maxBitmaps
    /// Deepest backing chain followed; loops are detected before this.
    public var maxBackingDepth: Int = 64
    /// Whether backing files are opened at all (`--no-backing`).
    public var followBacking: Bool = true
    /// Which backing and data files may be opened at all (``ReachRule``): by default only regular
    /// files inside the directory of the image opened first.
    public var reach: ReachRule = .imageDirectory

    public init() {}

    /// Limits that never open a backing file.
    public static var noBacking: DecodingLimits {
        var l = DecodingLimits()
        l.followBacking = false
        return l
    }

    /// Limits that open nothing the image names, neither backing nor data file (`vet`).
    public static var selfContained: DecodingLimits {
        var l = DecodingLimits.noBacking
        l.reach = .nothing
        return l
    }
}
