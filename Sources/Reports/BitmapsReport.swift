import Formatting
import Analysis
import Qcow2

/// `qcowscope bitmaps`: every persistent dirty bitmap (spec, "Bitmaps") with the guest extents it
/// marks dirty — the ranges `qemu-nbd -r -B NAME` exports — and what QEMU would think of it.
///
/// JSON keys follow `qemu-img info` where it has them ("name", "flags" with "in-use"/"auto",
/// "granularity"); the rest are qcowscope's, in kebab-case like QEMU's. Bitmap names are image
/// text: `.string` in JSON (escaped by the encoder), `.escaped` in text.
public struct BitmapsReport: Sendable {
    public let bitmaps: [BitmapExtents]
    /// Directory-level findings (and the bitmaps' own, repeated in each bitmap).
    public let findings: [Finding]
    /// The header's bitmaps autoclear bit: clear means QEMU ignores every bitmap.
    public let autoclearBitSet: Bool
    /// A running QEMU holds the image (its bitmaps are then normally marked in use too).
    public let inUse: Bool

    public init(image: Qcow2Image) {
        (bitmaps, findings) = BitmapExtents.decodeAll(image)
        autoclearBitSet = image.header.bitmapsConsistent
        inUse = image.isInUse
    }

    public func json() -> JSONValue {
        jsonObject([
            ("bitmaps", .array(bitmaps.map { Self.json($0) })),
            ("bitmaps-autoclear", .bool(autoclearBitSet)),
            ("findings", .array(findings.map(\.json))),
            inUsePair(inUse),
        ])
    }

    /// ``json()`` rendered as `JSONValue.rendered()` would, but with the dirty ranges (possibly
    /// millions) written straight into one byte buffer instead of built as values.
    public func renderedJSON() -> String {
        let placeholder = "\u{1}dirty-extents\u{1}"
        let value = jsonObject([
            ("bitmaps", .array(bitmaps.map { Self.json($0, extents: .string(placeholder)) })),
            ("bitmaps-autoclear", .bool(autoclearBitSet)),
            ("findings", .array(findings.map(\.json))),
            inUsePair(inUse),
        ])
        let quoted = JSONValue.quote(placeholder)
        let rendered = value.rendered()
        // A bitmap name spelling the placeholder would confuse the splice: render plainly then.
        guard rendered.ranges(of: quoted).count == bitmaps.count else { return json().rendered() }
        var out = ""
        var rest = rendered[...]
        for b in bitmaps {
            guard let r = rest.firstRange(of: quoted) else { break }
            out += rest[..<r.lowerBound]
            out += Self.extentsJSON(b.extents, indent: 12)
            rest = rest[r.upperBound...]
        }
        return out + rest
    }

    /// An array of `{"start", "length"}` objects laid out as ``JSONValue/rendered(indent:)`` does.
    static func extentsJSON(_ extents: [DirtyExtent], indent: Int) -> String {
        if extents.isEmpty { return "[]" }
        let close = [UInt8](repeating: 0x20, count: indent)
        let item = close + [UInt8](repeating: 0x20, count: 4)
        let key = item + [UInt8](repeating: 0x20, count: 4)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(extents.count * (2 * key.count + item.count * 2 + 40))
        bytes += Array("[\n".utf8)
        for (i, e) in extents.enumerated() {
            bytes += item + Array("{\n".utf8) + key + Array("\"start\": \(e.start),\n".utf8)
            bytes += key + Array("\"length\": \(e.length)\n".utf8) + item + Array((i + 1 < extents.count ? "},\n" : "}\n").utf8)
        }
        bytes += close + [UInt8(ascii: "]")]
        return String(decoding: bytes, as: UTF8.self)
    }

    static func json(_ b: BitmapExtents, extents: JSONValue? = nil) -> JSONValue {
        let e = b.entry
        return jsonObject([
            ("name", .string(e.name.string)),
            ("flags", .array(e.flagNames.map(JSONValue.string))),
            ("granularity", e.granularity.map(JSONValue.uint) ?? .null),
            ("type", e.type == BitmapDirectoryEntry.dirtyTrackingType ? .string("dirty-tracking") : .uint(UInt64(e.type))),
            ("table-offset", .uint(e.tableOffset)),
            ("table-size", .uint(UInt64(e.tableSize))),
            ("in-use", .bool(e.isInUse)),
            ("consistent", .bool(b.isConsistent)),
            ("refusal", b.refusal.map(JSONValue.string)),
            ("dirty-bytes", .uint(b.dirtyBytes)),
            ("dirty-extents", extents ?? .array(b.extents.map { jsonObject([("start", .uint($0.start)), ("length", .uint($0.length))]) })),
            ("findings", .array(b.findings.map(\.json))),
        ])
    }

    /// The human report: one block per bitmap, its dirty extents as hex offset and length.
    public func text() -> String {
        var out = ""
        if bitmaps.isEmpty { out += "No persistent bitmaps.\n" }
        if !autoclearBitSet && !bitmaps.isEmpty {
            out += "The header's bitmaps autoclear bit is clear: QEMU ignores every bitmap below.\n"
        }
        for (i, b) in bitmaps.enumerated() {
            if i > 0 { out += "\n" }
            let e = b.entry
            let flags = e.flagNames.isEmpty ? "none" : e.flagNames.joined(separator: ", ")
            let granularity = e.granularity.map(Self.size) ?? "2^\(e.granularityBits) bytes"
            out += "Bitmap \"\(b.name.escaped)\"\n"
            out += "  flags: \(flags); granularity \(granularity); table at \(hex(e.tableOffset)), \(Formatted.count(e.tableSize, "entry", "entries"))\n"
            if let refusal = b.refusal { out += "  QEMU: \(refusal)\n" }
            let noun = b.extents.count == 1 ? "extent" : "extents"
            out += "  dirty: \(b.dirtyBytes) bytes (\(Self.size(b.dirtyBytes))) in \(b.extents.count) \(noun)\n"
            for x in b.extents {
                out += "    " + Self.padded(hex(x.start), 18) + "+" + hex(x.length) + "\n"
            }
            for f in b.findings { out += "  \(f.severity.rawValue): \(f.message)\n" }
        }
        let own = Set(bitmaps.flatMap(\.findings))
        for f in findings where !own.contains(f) { out += "\(f.severity.rawValue): \(f.structure.rawValue) at \(hex(f.offset)): \(f.message)\n" }
        return out
    }

    private static func padded(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    /// 4096 → "4 KiB", 1536 → "1536 bytes" (exact binary units only).
    static func size(_ bytes: UInt64) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = bytes
        var unit = 0
        while value >= 1024, value % 1024 == 0, unit + 1 < units.count {
            value /= 1024
            unit += 1
        }
        return "\(value) \(units[unit])"
    }
}
