/// A range of guest bytes: `start` and `length` in bytes of the guest disk (not of the image file).
///
/// Free-space maps are kept as sorted, merged extents, never per-block arrays: a 1 TiB ext4 has 256 M
/// blocks and a free map of a few thousand extents.
public struct GuestExtent: Sendable, Hashable, Comparable {
    public var start: UInt64
    public var length: UInt64

    public init(start: UInt64, length: UInt64) {
        self.start = start
        self.length = length
    }

    /// One past the last byte. Extents are built from bounded values (a volume's extent lies inside
    /// the disk), so this cannot overflow for any extent the parsers make.
    public var end: UInt64 { start &+ length }

    public static func < (a: GuestExtent, b: GuestExtent) -> Bool {
        a.start != b.start ? a.start < b.start : a.length < b.length
    }
}
