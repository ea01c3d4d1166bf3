import Analysis
import Qcow2

/// One persistent bitmap decoded into dirty extents (``BitmapExtents``), with its coverage index.
/// Every bitmap of the image is decoded off the UI thread (``ExplorerWork/bitmaps``) the first
/// time the bitmaps view opens, and kept for the session in ``ExplorerData/bitmaps``. Decoding is
/// bounded by the bitmap data's size (8 MiB for a 4 TiB disk at 64 KiB granularity), read one
/// cluster at a time.
public struct DecodedBitmap: Sendable {
    public let bitmap: BitmapExtents
    public let coverage: BitmapCoverage

    public init(_ bitmap: BitmapExtents) {
        self.bitmap = bitmap
        coverage = BitmapCoverage(extents: bitmap.extents, virtualSize: bitmap.virtualSize)
    }

    /// The decoded bitmaps of `image` in directory order (slow: reads every bitmap's data).
    static func decodeAll(_ image: Qcow2Image) -> [DecodedBitmap] {
        BitmapExtents.decodeAll(image).bitmaps.map(DecodedBitmap.init)
    }
}
