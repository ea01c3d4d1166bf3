import Analysis
import Synchronization

/// Every persistent bitmap of the image decoded into dirty extents (``BitmapExtents``), on first
/// use of the bitmaps view and then kept for the session. Decoding is bounded by the bitmap
/// data's size (8 MiB for a 4 TiB disk at 64 KiB granularity), read one cluster at a time.
public final class BitmapExtentsCache: Sendable {
    /// One bitmap decoded, with its coverage index.
    public struct Decoded: Sendable {
        public let bitmap: BitmapExtents
        public let coverage: BitmapCoverage
    }

    private let decoded = Mutex<[Decoded]?>(nil)

    public init() {}

    /// The decoded bitmaps of `image` in directory order (decoded now on first call).
    public func bitmaps(of image: Qcow2Image) -> [Decoded] {
        if let cached = decoded.withLock({ $0 }) { return cached }
        let all = BitmapExtents.decodeAll(image).bitmaps.map {
            Decoded(bitmap: $0, coverage: BitmapCoverage(extents: $0.extents, virtualSize: $0.virtualSize))
        }
        decoded.withLock { $0 = all }
        return all
    }
}
