import CZlib
import Pictures

/// A small PNG reader for the tests: only what ``PNG`` writes (8-bit RGB, no interlace) but with
/// every line filter, so a golden written by another encoder would still read. Checks each
/// chunk's CRC with zlib and inflates the IDAT stream with zlib's `uncompress`.
struct PNGReader {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var width = 0
    var height = 0
    var pixels: [UInt8] = []
    var chunkTypes: [String] = []

    init(_ bytes: [UInt8]) throws {
        guard bytes.starts(with: PNG.signature) else { throw Failure(description: "no PNG signature") }
        var at = 8
        var compressed: [UInt8] = []
        func u32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
        while at + 12 <= bytes.count {
            let length = u32(at)
            guard at + 12 + length <= bytes.count else { throw Failure(description: "chunk past the end") }
            let type = String(decoding: bytes[(at + 4)..<(at + 8)], as: UTF8.self)
            let body = Array(bytes[(at + 4)..<(at + 8 + length)])
            let crc = body.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
            guard UInt32(crc) == UInt32(u32(at + 8 + length)) else { throw Failure(description: "bad CRC in \(type)") }
            chunkTypes.append(type)
            let data = Array(body.dropFirst(4))
            switch type {
            case "IHDR":
                width = Int(data[0]) << 24 | Int(data[1]) << 16 | Int(data[2]) << 8 | Int(data[3])
                height = Int(data[4]) << 24 | Int(data[5]) << 16 | Int(data[6]) << 8 | Int(data[7])
                guard Array(data[8...]) == [8, 2, 0, 0, 0] else { throw Failure(description: "not 8-bit RGB") }
            case "IDAT": compressed += data
            default: break
            }
            at += 12 + length
        }
        let stride = width * 3
        var raw = [UInt8](repeating: 0, count: (stride + 1) * height)
        var rawLength = uLong(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { uncompress(out.baseAddress, &rawLength, $0.baseAddress, uLong($0.count)) }
        }
        guard status == Z_OK, Int(rawLength) == raw.count else { throw Failure(description: "inflate failed (\(status))") }
        pixels = [UInt8](repeating: 0, count: stride * height)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            for x in 0..<stride {
                let value = Int(raw[y * (stride + 1) + 1 + x])
                let a = x >= 3 ? Int(pixels[y * stride + x - 3]) : 0
                let b = y > 0 ? Int(pixels[(y - 1) * stride + x]) : 0
                let c = x >= 3 && y > 0 ? Int(pixels[(y - 1) * stride + x - 3]) : 0
                let predicted: Int
                switch filter {
                case 0: predicted = 0
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predicted = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: throw Failure(description: "unknown filter \(filter)")
                }
                pixels[y * stride + x] = UInt8((value + predicted) & 0xFF)
            }
        }
    }

    subscript(x: Int, y: Int) -> RGB {
        let i = (y * width + x) * 3
        return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
    }
}
