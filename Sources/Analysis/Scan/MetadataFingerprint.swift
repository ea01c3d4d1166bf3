import Qcow2

/// A hash of every metadata byte range one scan read (header cluster, L1 and L2 tables, refcount
/// table and blocks, snapshot table), with the file size: equal fingerprints mean the scan would
/// decode the same bytes again.
///
/// Two uses, both for images that change under us: an image in use is re-scanned when the
/// metadata a scan read has changed by the time it finished (``ImageAnalysis/scan(_:progress:)``),
/// and `--watch` re-reads and re-hashes the ranges (no decoding) to reuse the previous results
/// when nothing changed. The hash is for change detection, not security: a collision would only
/// make `--watch` show the previous scan a round longer.
public struct MetadataFingerprint: Sendable, Equatable {
    /// One range read, as the scan read it (tables read together are one range).
    public struct Region: Sendable, Hashable {
        public var offset: UInt64
        public var length: Int
        public var hash: UInt64
    }

    public internal(set) var fileSize: UInt64
    public internal(set) var regions: [Region] = []

    init(fileSize: UInt64) { self.fileSize = fileSize }

    /// The metadata bytes QEMU's check and our scan read, in bytes.
    public var metadataBytes: UInt64 { regions.reduce(0) { $0 + UInt64($1.length) } }

    mutating func record(offset: UInt64, bytes: UnsafeRawBufferPointer) {
        regions.append(Region(offset: offset, length: bytes.count, hash: Self.hash(bytes)))
    }

    /// Reads `length` bytes at `offset` of `source` (zeros past the end, as the scan reads) and
    /// records them; an unreadable range records a hash no read can give, so it counts as changed.
    mutating func record(_ source: any ByteSource, offset: UInt64, length: Int, buffer: TableBuffer) {
        var done = 0
        while done < length {
            let n = min(buffer.capacity, length - done)
            if let bytes = buffer.read(source, at: offset &+ UInt64(done), count: n) {
                record(offset: offset &+ UInt64(done), bytes: bytes)
            } else {
                regions.append(Region(offset: offset &+ UInt64(done), length: n, hash: 0))
            }
            done += n
        }
    }

    /// The same ranges read again from `source` (normally the image reopened, so its size is the
    /// current one): equal to `self` when nothing the scan read has changed.
    public func reread(from source: any ByteSource) -> MetadataFingerprint {
        var again = MetadataFingerprint(fileSize: source.size)
        again.regions.reserveCapacity(regions.count)
        let buffer = TableBuffer(byteCount: regions.map(\.length).max() ?? 0)
        for r in regions {
            if let bytes = buffer.read(source, at: r.offset, count: r.length), bytes.count == r.length {
                again.record(offset: r.offset, bytes: bytes)
            } else {
                again.regions.append(Region(offset: r.offset, length: r.length, hash: 0))
            }
        }
        return again
    }

    /// The ranges whose bytes differ from `other`'s (by position in the list; all of them when
    /// the lists differ in shape).
    public func changedRegions(since other: MetadataFingerprint) -> [Region] {
        guard regions.count == other.regions.count else { return regions }
        return zip(regions, other.regions).compactMap { $0 == $1 ? nil : $0 }
    }

    /// A fast 64-bit hash of `bytes`: four independent multiply-rotate lanes over 8-byte words
    /// (so the CPU runs them in parallel), then the tail, then a final mix.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let p1: UInt64 = 0x9E37_79B1_85EB_CA87
        let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        var a: UInt64 = 0x6A09_E667_F3BC_C908, b: UInt64 = 0xBB67_AE85_84CA_A73B
        var c: UInt64 = 0x3C6E_F372_FE94_F82B, d: UInt64 = 0xA54F_F53A_5F1D_36F1
        @inline(__always) func round(_ acc: UInt64, _ w: UInt64) -> UInt64 {
            let x = acc &+ w &* p2
            return ((x << 31) | (x >> 33)) &* p1
        }
        let n = bytes.count
        var i = 0
        while i &+ 32 <= n {
            a = round(a, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            b = round(b, bytes.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self))
            c = round(c, bytes.loadUnaligned(fromByteOffset: i &+ 16, as: UInt64.self))
            d = round(d, bytes.loadUnaligned(fromByteOffset: i &+ 24, as: UInt64.self))
            i &+= 32
        }
        var h = ((a << 1) | (a >> 63)) ^ ((b << 7) | (b >> 57)) ^ ((c << 12) | (c >> 52)) ^ ((d << 18) | (d >> 46))
        h ^= UInt64(n) &* p1
        while i < n {
            h = round(h, UInt64(bytes[i]))
            i &+= 1
        }
        h ^= h >> 33
        h = h &* p2
        h ^= h >> 29
        return h
    }
}
