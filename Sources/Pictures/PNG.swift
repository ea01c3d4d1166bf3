internal import CZlib

/// A minimal PNG writer: 8-bit RGB (colour type 2), no interlace, filter 0 on every line, one
/// IDAT chunk deflated by zlib at level 9, and no ancillary chunks — no time, no gamma, no
/// software name — so the same picture always gives the same bytes (with the same zlib).
public enum PNG {
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    public enum EncodeError: Error, CustomStringConvertible {
        case empty
        case deflateFailed(Int32)

        public var description: String {
            switch self {
            case .empty: "a PNG needs at least one pixel"
            case .deflateFailed(let code): "zlib could not compress the picture (error \(code))"
            }
        }
    }

    /// The PNG file of `raster`.
    public static func encode(_ raster: Raster) throws(EncodeError) -> [UInt8] {
        guard raster.width > 0, raster.height > 0 else { throw .empty }
        var scanLines: [UInt8] = []
        scanLines.reserveCapacity((raster.width * 3 + 1) * raster.height)
        for y in 0..<raster.height {
            scanLines.append(0)                    // filter type None
            scanLines += raster.row(y)
        }
        var header: [UInt8] = []
        header += bigEndian(UInt32(raster.width))
        header += bigEndian(UInt32(raster.height))
        header += [8, 2, 0, 0, 0]                  // depth 8, RGB, deflate, adaptive filters, no interlace
        var out = signature
        out += chunk("IHDR", header)
        out += chunk("IDAT", try deflate(scanLines))
        out += chunk("IEND", [])
        return out
    }

    /// zlib's `compress2` (a zlib stream, as IDAT wants) at the best compression.
    static func deflate(_ bytes: [UInt8]) throws(EncodeError) -> [UInt8] {
        var capacity = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(capacity))
        let status = out.withUnsafeMutableBufferPointer { dest in
            bytes.withUnsafeBufferPointer { source in
                compress2(dest.baseAddress, &capacity, source.baseAddress, uLong(source.count), 9)
            }
        }
        guard status == Z_OK else { throw .deflateFailed(status) }
        return Array(out.prefix(Int(capacity)))
    }

    /// One chunk: length, type, data, and zlib's CRC-32 of type and data.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        let body = typeBytes + data
        let crc = body.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        return bigEndian(UInt32(data.count)) + body + bigEndian(UInt32(truncatingIfNeeded: crc))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
