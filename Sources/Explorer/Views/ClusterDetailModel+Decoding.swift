import Formatting
import Analysis
import Qcow2
import Reports
import TerminalUI

extension ClusterDetailModel {
    /// Chooses what the cluster holds — from its references first (they say why it is in use;
    /// for a conflict, the first claim wins), else from its role — and decodes it.
    mutating func decode(_ data: ExplorerData) {
        for r in references.references {
            switch r.kind {
            case .header: return decodeHeader(data)
            case .l1Table(let s): return decodeL1(data, snapshot: s)
            case .l1Entry(let s, let i): return decodeL2(data, l1Index: i, owner: s)
            case .refcountTable: return decodeRefcountTable(data)
            case .refcountTableEntry(let i): return decodeRefcountBlock(data, blockIndex: i)
            case .snapshotTable: return decodeSnapshotTable(data)
            case .bitmapDirectory: return decodeBitmapDirectory(data)
            case .bitmapTable(let b): return decodeBitmapTable(data, bitmap: b)
            case .l2Entry(_, _, _, _, true): return decodeCompressed(data)
            case .l2Entry(_, _, _, let guest, false):
                guard data.header.cryptMethod == 0 else { return decodeEncrypted(data, guest: guest) }
                return decodeRaw("Guest data of guest cluster \(hex(guest))")
            case .bitmapTableEntry: return decodeRaw("Bitmap data: one bit per granule of the guest disk")
            case .cryptoHeader: return decodeRaw("LUKS header bytes")
            }
        }
        switch role {
        case .l2?, .snapshotL2?: decodeL2(data, l1Index: nil)
        case .leaked?: decodeRaw("Leaked: nothing references these bytes")
        case .free?: decodeRaw("Free space")
        default: decodeRaw("Raw bytes")
        }
    }

    /// Guest data (or anything without structure): the bytes themselves.
    mutating func decodeRaw(_ title: String) {
        decoded.append(Line("\(title) — hex dump below", .section))
        decodedBytes = bytes
        decodedBytesOffset = offset
    }

    /// Guest data of an encrypted image: ciphertext, so no dump of it as content (the hex page
    /// still shows the host cluster's bytes).
    mutating func decodeEncrypted(_ data: ExplorerData, guest: UInt64) {
        let method = data.header.encryption == .luks ? "LUKS" : data.header.encryption == .aes ? "AES-CBC" : "unknown"
        decoded.append(Line("Guest data of guest cluster \(hex(guest)) — the data is encrypted (\(method))", .section))
        decoded.append(Line("  its bytes here are ciphertext: the guest reads them only through the key", .label))
        decoded.append(Line("  (the hex page shows the stored bytes)", .label))
    }

    /// The header fields with their offsets, the header extensions and the backing file name
    /// (spec, "Header" and "Header extensions"). Offset fields lead to their cluster.
    mutating func decodeHeader(_ data: ExplorerData) {
        let image = data.image
        let bits = UInt64(image.header.clusterBits)
        decoded.append(Line("Header (version \(image.header.version), \(image.header.headerLength) bytes)", .section))
        for f in image.header.fields {
            let value = f.isOffset ? hex(f.value) : String(f.value)
            let points = f.name.hasSuffix("_offset") && f.value != 0 && f.value < image.file.size
            decoded.append(Line("  " + Self.columns([(hex(UInt64(f.offset)), 6), (f.name, 24), (value, 0)]),
                                target: points ? f.value >> bits : nil))
        }
        for e in image.extensions {
            decoded.append(Line("  " + Self.columns([(hex(e.offset), 6), ("extension", 24),
                                                     ("\(e.typeName) (type \(hex(UInt64(e.type))), \(e.data.count) bytes)", 0)])))
        }
        if let name = image.backingFileName {
            decoded.append(Line("  " + Self.columns([(hex(image.header.backingFileOffset), 6), ("backing file name", 24),
                                                     ("\"\(name.escaped)\"", 0)])))
        }
        decodedBytes = bytes
        decodedBytesOffset = offset
    }

    /// The compressed guest clusters whose bytes lie here (spec, "Compressed Clusters
    /// Descriptor"), and the first of them decompressed.
    mutating func decodeCompressed(_ data: ExplorerData) {
        let image = data.image
        let bits = image.header.clusterBits
        let name = image.header.compression?.qemuName ?? "unknown compression"
        decoded.append(Line("Compressed data (\(name)): the streams that start or end in this cluster", .section))
        for r in references.references {
            guard case .l2Entry(let s, _, _, let guest, true) = r.kind else { continue }
            let raw = Self.read(image, at: r.offset, count: 8)
            guard raw.count == 8 else { continue }
            let entry = L2Entry(raw: raw.withUnsafeBytes { $0.be64(at: 0) })
            let extent = entry.compressedExtent(clusterBits: bits)
            decoded.append(Line("  \(Self.owner(s, data)) guest \(hex(guest)): \(hex(extent.offset)) + \(Formatted.count(extent.sectors, "sector")) (\(Formatted.count(extent.length, "byte")))",
                                target: extent.offset >> UInt64(bits)))
            guard decodedBytes.isEmpty else { continue }
            do {
                decodedBytes = try image.readCompressedCluster(extent)
                decodedBytesOffset = guest
                decoded.append(Line("  decompressed to \(decodedBytes.count) bytes of guest \(hex(guest)) — hex dump below", .label))
            } catch {
                decoded.append(Line("  cannot decompress: \(error.description.terminalSafe)", .error))
            }
        }
        if decodedBytes.isEmpty {
            decodedBytes = bytes
            decodedBytesOffset = offset
        }
    }

    /// Cells padded to their widths (0: as long as it is) and joined by two spaces.
    static func columns(_ cells: [(String, Int)]) -> String {
        cells.map { $0.1 > 0 ? TerminalText.padded($0.0, width: max($0.1, TerminalText.width($0.0)), ellipsis: nil) : $0.0 }
            .joined(separator: "  ")
    }

    /// One line per entry of `range`, runs of empty entries collapsed into one line, at most
    /// `limit` lines (then a line saying how many entries were left out).
    static func entryLines(_ range: Range<Int>, limit: Int, isEmpty: (Int) -> Bool, empty: (Range<Int>) -> String,
                           line: (Int) -> Line) -> [Line] {
        var out: [Line] = []
        var i = range.lowerBound
        while i < range.upperBound {
            guard out.count < limit else {
                out.append(Line("  … \(Formatted.count(range.upperBound - i, "more entry", "more entries")) (see the hex page)", .label))
                break
            }
            if isEmpty(i) {
                var j = i + 1
                while j < range.upperBound, isEmpty(j) { j += 1 }
                out.append(Line("  " + empty(i..<j), .label))
                i = j
            } else {
                out.append(line(i))
                i += 1
            }
        }
        return out
    }

    /// `[5]` or `[5–9]`.
    static func span(_ r: Range<Int>) -> String { "[\(r.lowerBound)\(r.count > 1 ? "–\(r.upperBound - 1)" : "")]" }
}
