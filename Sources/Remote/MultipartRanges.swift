/// The answer to a GET asking for several byte ranges at once (RFC 9110, 14.6): a
/// `multipart/byteranges` body whose parts each carry a `Content-Range` and that range's bytes.
///
/// One such request brings tables scattered over the whole file (the L2 tables of a 4 TiB image
/// lie 512 GiB apart) in one round trip, where one request per table would pay the latency each
/// time. The parts must be exactly the ranges asked for, in the order asked (what nginx and
/// Apache send); anything else — a server that merged the ranges, answered only the first, or
/// sent a body this parser does not follow — is nil, and the caller asks for the ranges one by one.
enum MultipartRanges {
    /// Longest part header and delimiter accepted around a part: the `--boundary`, `Content-Type`
    /// and `Content-Range` lines come to well under 200 bytes.
    static let partOverhead = 512

    /// The boundary of a `Content-Type: multipart/byteranges; boundary=...` value, nil for any
    /// other type.
    static func boundary(ofContentType value: String) -> String? {
        let fields = value.split(separator: ";").map { $0.trimmingCharacters(in: " \t\r\n") }
        guard fields.first?.lowercased() == "multipart/byteranges" else { return nil }
        for field in fields.dropFirst() where field.lowercased().hasPrefix("boundary=") {
            var b = Substring(field.dropFirst("boundary=".count))
            if b.count >= 2, b.first == "\"", b.last == "\"" { b = b.dropFirst().dropLast() }
            // RFC 2046: 1 to 70 characters.
            return b.isEmpty || b.count > 70 ? nil : String(b)
        }
        return nil
    }

    /// The bytes of each of `ranges` from `body`, or nil when the body is not exactly those parts.
    static func parts(of body: [UInt8], boundary: String, ranges: [Range<UInt64>]) -> [[UInt8]]? {
        let delimiter = Array(("--" + boundary).utf8)
        var out: [[UInt8]] = []
        out.reserveCapacity(ranges.count)
        var position = 0
        for range in ranges {
            // The delimiter comes after at most a CRLF (or a short preamble before the first part).
            guard let start = find(delimiter, in: body, from: position, within: partOverhead) else { return nil }
            var cursor = start + delimiter.count
            guard cursor + 2 <= body.count, body[cursor] == 0x0D, body[cursor + 1] == 0x0A else { return nil }
            cursor += 2
            guard let end = find(Array("\r\n\r\n".utf8), in: body, from: cursor, within: partOverhead) else { return nil }
            let headers = String(decoding: body[cursor..<end], as: UTF8.self)
            guard let span = contentRange(in: headers), span.first == range.lowerBound,
                  span.last &+ 1 == range.upperBound else { return nil }
            let dataStart = end + 4
            guard body.count - dataStart >= range.count else { return nil }
            out.append(Array(body[dataStart..<(dataStart + range.count)]))
            position = dataStart + range.count
        }
        // The closing delimiter: `--boundary--`.
        guard find(delimiter + Array("--".utf8), in: body, from: position, within: partOverhead) != nil else { return nil }
        return out
    }

    /// `first` and `last` of a `Content-Range: bytes FIRST-LAST/TOTAL` line among `headers`.
    private static func contentRange(in headers: String) -> (first: UInt64, last: UInt64)? {
        for line in headers.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == "content-range" else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t").lowercased()
            guard value.hasPrefix("bytes ") else { return nil }
            let span = value.dropFirst(6).split(separator: "/", maxSplits: 1).first?.split(separator: "-", maxSplits: 1) ?? []
            guard span.count == 2, let first = UInt64(span[0]), let last = UInt64(span[1]), first <= last else { return nil }
            return (first, last)
        }
        return nil
    }

    /// Where `needle` starts in `body` at or after `from`, looking no further than `within` bytes.
    private static func find(_ needle: [UInt8], in body: [UInt8], from: Int, within: Int) -> Int? {
        let last = min(body.count - needle.count, from + within)
        guard from <= last else { return nil }
        var i = from
        while i <= last {
            if body[i] == needle[0], body[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
